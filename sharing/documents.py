"""The PDF a referral becomes when it goes to an agency through the agency's own secure channel
(a portal, CJSM, NHSmail): the released snapshot, word for word, under a header that says what it
is (OFFICIAL-SENSITIVE, the disclosure number, the recipient and when it was released) on every
page, and a footer with the disclosure number, the marking again and "Page N of M".

The snapshot's own shape is kept: sections are separated by a blank line, and the first line of
each is its heading (of the first section, the document's title); `Label: value` lines have their
label in bold, `- ` lines are bullet items, and every line wraps within the page. Nothing is
added to the snapshot's text, dropped or reordered, so the text a reader copies or a system
extracts from the pages is the snapshot's, with only the header and footer around it. Only
spacing is the page's own: runs of spaces close up and long lines break where the page ends.

The font is DejaVu Sans, kept in `sharing/fonts/` (with its licence) so the document looks the
same on every machine. It draws the Latin, Greek and Cyrillic scripts whole, so the names of
the people a UK safeguarding team works with print as written: Zoë Müller, Bożena Wiśniewska,
Jiří Dvořák, Ștefan Popescu, Siân Ŵyn, Іван Петренко. Hebrew and Arabic letters are in the
font but reportlab neither joins nor orders right-to-left text, so such a name prints as
separate letters, left to right; scripts the font lacks (Ethiopic, the Indian scripts, Chinese)
print as the font's empty box. Neither loses text: the text layer holds each character itself,
so copying or extracting the text gives the snapshot exactly (right-to-left runs may come out
reordered by the extracting program). Characters beyond the Basic Multilingual Plane (emoji,
rare Chinese characters) are the exception: reportlab cannot record them in the text layer, so
they are written out instead as their code point, "[U+1F600]", which the reader sees and
extraction gives.
"""

import functools
import html
import io
import re
from pathlib import Path

from django.utils import dateformat, timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

MARKING = "OFFICIAL-SENSITIVE"
FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "PartnerhubSans"
BOLD_FONT = "PartnerhubSans-Bold"
MARGIN = 20 * mm
# A label is short and reads as a field name; a sentence that happens to hold a colon (a quote in
# the reason for referral) is left as it is rather than half set in bold.
LABELLED_LINE = re.compile(r"(?P<label>[^\W\d_][^:.,;!?()]{0,39}): (?P<value>.*)")
BULLET = "- "


class DocumentFailed(Exception):
    """The document could not be produced; the caller rolls back whatever it was doing."""


def release_document(*, disclosure_number, recipient: str, released_at, snapshot: str) -> bytes:
    """A PDF of exactly `snapshot`, headed with the OFFICIAL-SENSITIVE marking, the disclosure
    number, the recipient and the date of release in UK local time on every page."""
    released = dateformat.format(timezone.localtime(released_at), "j F Y, H:i")
    heading = (
        f"Disclosure {disclosure_number}, released {released}",
        f"To: {recipient}",
    )
    try:
        return marked_pdf(
            title=f"Disclosure {disclosure_number}",
            subject=f"{MARKING}: a referral released by the safeguarding team",
            heading=heading,
            footer=f"Disclosure {disclosure_number}",
            story=lambda styles: _story(snapshot, styles),
            texts=(snapshot,),
        )
    except Exception as error:
        # reportlab's messages can quote the text they choked on; the cause keeps them, for the
        # traceback, and this message names no more than the disclosure.
        raise DocumentFailed(
            f"The document for disclosure {disclosure_number} could not be produced"
        ) from error


def marked_pdf(*, title, subject, heading, footer, story, texts) -> bytes:
    """An A4 PDF under the OFFICIAL-SENSITIVE marking and `heading` lines on every page, and
    `footer`, the marking and "Page N of M" at the foot of each. `story(styles)` gives the
    page's flowables (build them with `paragraph`); `texts` is every text they hold, so the
    fonts draw each character. The caller turns an exception into its own refusal."""
    _fonts_drawing(*texts, *heading)
    # The footer counts the pages ("of M"), which only a finished layout knows: the first
    # build counts them and the second writes them. The footer sits outside the text's
    # frame, so the second layout is the same as the first.
    arguments = {
        "title": title,
        "subject": subject,
        "heading": heading,
        "footer": footer,
        "story": story,
    }
    _, pages = _build(**arguments, page_count=None)
    pdf, _ = _build(**arguments, page_count=pages)
    return pdf


def paragraph(text: str, style: str, styles, **options) -> Paragraph:
    """A line of plain text in one of the document's styles ("title", "heading", "body",
    "bullet"): the text is escaped, never read as markup."""
    return Paragraph(_markup(text), styles[style], **options)


def _build(*, title, subject, heading, footer, story, page_count) -> tuple[bytes, int]:
    styles = _styles()
    header = [Paragraph(_markup(MARKING), styles["marking"])]
    header += [Paragraph(_markup(line), styles["header"]) for line in heading]
    width = A4[0] - 2 * MARGIN
    header_height = sum(part.wrap(width, A4[1])[1] for part in header)
    text_top = A4[1] - MARGIN - header_height - 6 * mm

    def draw_header(canvas, document):
        canvas.saveState()
        top = A4[1] - MARGIN
        for part in header:
            part.wrap(width, A4[1])
            top -= part.height
            part.drawOn(canvas, MARGIN, top)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2 * mm, A4[0] - MARGIN, top - 2 * mm)
        canvas.restoreState()

    # Drawn after the page's text, so that a reader or extraction meets header, text, footer.
    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        canvas.setFont(BOLD_FONT, 8)
        canvas.drawCentredString(A4[0] / 2, MARGIN / 2, MARKING)
        canvas.setFont(FONT, 8)
        of = f" of {page_count}" if page_count else ""
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, f"Page {document.page}{of}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Partnerhub",
        creator="Partnerhub",
        subject=subject,
        lang="en-GB",
        # Otherwise each page starts in Helvetica, a font the document would name but not carry.
        initialFontName=FONT,
        # The same snapshot gives the same bytes: no creation time or random document id.
        invariant=1,
    )
    text = Frame(
        MARGIN,
        MARGIN,
        width,
        text_top - MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates(
        PageTemplate(frames=[text], onPage=draw_header, onPageEnd=draw_footer)
    )
    document.build(story(styles))
    return buffer.getvalue(), document.page


def _story(snapshot: str, styles) -> list:
    story = []
    first_section = True
    heading_due = True
    for line in snapshot.splitlines():
        if not line.strip():
            if not heading_due:
                first_section = False
            heading_due = True
            continue
        if heading_due:
            story.append(Paragraph(_markup(line), styles["title" if first_section else "heading"]))
            heading_due = False
        elif line.startswith(BULLET):
            story.append(
                Paragraph(_markup(line[len(BULLET) :]), styles["bullet"], bulletText=BULLET.strip())
            )
        elif labelled := LABELLED_LINE.fullmatch(line):
            story.append(
                Paragraph(
                    f"<b>{_markup(labelled['label'])}:</b> {_markup(labelled['value'])}",
                    styles["body"],
                )
            )
        else:
            story.append(Paragraph(_markup(line), styles["body"]))
    return story or [Spacer(0, 0)]


def _markup(text: str) -> str:
    """Text as Paragraph markup: reportlab reads `&`, `<` and `>` as markup, and cannot put a
    character beyond the Basic Multilingual Plane in the text layer (see the module docstring)."""
    return "".join(
        f"[U+{ord(character):04X}]" if ord(character) > 0xFFFF else character
        for character in html.escape(text, quote=False)
    )


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13, spaceAfter=2)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", body, fontName=BOLD_FONT, fontSize=15, leading=19, spaceAfter=6
        ),
        "heading": ParagraphStyle(
            "heading",
            body,
            fontName=BOLD_FONT,
            fontSize=12,
            leading=15,
            spaceBefore=10,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "bullet": ParagraphStyle(
            "bullet", body, leftIndent=5 * mm, bulletIndent=1 * mm, bulletFontName=FONT
        ),
        "marking": ParagraphStyle(
            "marking", body, fontName=BOLD_FONT, fontSize=11, leading=14, alignment=1
        ),
        "header": ParagraphStyle("header", body, fontSize=9, leading=12, spaceAfter=0),
    }


@functools.cache
def _register_fonts() -> None:
    # Registered under names of Partnerhub's own, so that teaching the fonts the characters they
    # lack (_fonts_drawing) changes no other user of DejaVu in the process.
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD_FONT, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=BOLD_FONT, italic=FONT, boldItalic=BOLD_FONT
    )


def _fonts_drawing(*texts: str) -> None:
    """Map every character of `texts` that the fonts lack to their empty box. Left unmapped,
    reportlab writes such a character into the text layer as a NUL and it is lost to anyone
    copying or extracting the text; mapped, the box is drawn and the character itself is kept."""
    _register_fonts()
    for name in (FONT, BOLD_FONT):
        glyphs = pdfmetrics.getFont(name).face.charToGlyph
        for text in texts:
            for character in text:
                glyphs.setdefault(ord(character), 0)
