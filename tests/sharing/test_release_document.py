"""The PDF a referral becomes for an agency's secure channel: the released snapshot word for word,
under the OFFICIAL-SENSITIVE marking, the disclosure number, the recipient and the date of
release on every page. The text is read back out of the PDF as an agency's system would."""

import io
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from sharing.documents import FONTS, DocumentFailed, release_document

RECIPIENT = "Northshire Police – Jane Smith (jane@police.example)"
# 14:03 in London in December (GMT).
RELEASED_AT = datetime(2026, 12, 5, 14, 3, tzinfo=UTC)
HEADER = [
    "OFFICIAL-SENSITIVE",
    "Disclosure 123, released 5 December 2026, 14:03",
    f"To: {RECIPIENT}",
]
REASON = (
    "She disclosed to her GP that her partner controls the household money & takes her phone "
    'when she goes out; she says "it\'s been like this for years" and that she is afraid of what '
    "he will do if he finds out she has spoken to anyone. Her neighbour, José Ó Súilleabháin, "
    "has heard shouting at night on several occasions and once called the police when he heard "
    "glass breaking. She has a place at a refuge from 12 December but is worried about her "
    "dog, which the refuge cannot take, and about keeping her job at the bakery on Quayside."
)
SNAPSHOT = f"""Referral from the safeguarding team
Kind: Adult social care (Care Act) referral
Urgency: Urgent (within 24 hours)
Case reference: SG-2026-0042

Identity
Name: Zoë Müller-O'Brien
Date of birth: 4 March 1990
Nationality: Irish

Contact and address
Address: Flat 2, 14 Harbour Road & Mews
Postcode: NE1 4AB
Local authority: Newcastle upon Tyne

Vulnerabilities
- Domestic abuse (identified 2 November 2026)
- Mental health <crisis> (identified 10 November 2026)
Risk level: High

Reason for referral
{REASON}"""


def _release(snapshot=SNAPSHOT, **overrides):
    release = {
        "disclosure_number": 123,
        "recipient": RECIPIENT,
        "released_at": RELEASED_AT,
        "snapshot": snapshot,
    }
    return release_document(**release | overrides)


def _pages(pdf: bytes) -> list[list[str]]:
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(pdf)).pages]


def _footer(page_number, page_count):
    return ["Disclosure 123", "OFFICIAL-SENSITIVE", f"Page {page_number} of {page_count}"]


def _body(pdf: bytes) -> str:
    """The text of every page between its header and its footer, which are checked on the way."""
    pages = _pages(pdf)
    body = []
    for number, lines in enumerate(pages, start=1):
        assert lines[: len(HEADER)] == HEADER
        assert lines[-3:] == _footer(number, len(pages))
        body += lines[len(HEADER) : -3]
    return "\n".join(body)


def _normalised(text: str) -> str:
    return " ".join(text.split())


def test_the_text_in_the_document_is_exactly_the_released_snapshot():
    body = _body(_release())

    assert _normalised(body) == _normalised(SNAPSHOT)
    reason_lines = body.split("Reason for referral\n")[1].splitlines()
    assert len(reason_lines) >= 4, "the long reason wraps within the page"


def test_every_page_is_marked_official_sensitive_and_headed_with_the_disclosure_and_recipient():
    sections = [
        f"Contact {number}\nName: Person {number}\n- Seen on {number} November 2026\n{REASON}"
        for number in range(12)
    ]
    snapshot = "\n\n".join([SNAPSHOT, *sections])

    pdf = _release(snapshot)

    pages = _pages(pdf)
    assert len(pages) >= 3
    # _body checks the header and the "Page N of M" footer on each page.
    assert _normalised(_body(pdf)) == _normalised(snapshot)


def test_the_release_is_dated_in_uk_local_time():
    summer = datetime(2026, 7, 1, 13, 3, tzinfo=UTC)

    first_page = _pages(_release(released_at=summer))[0]

    assert first_page[1] == "Disclosure 123, released 1 July 2026, 14:03"


def test_headings_and_labels_are_set_in_bold_and_values_are_not():
    runs = []
    page = PdfReader(io.BytesIO(_release())).pages[0]
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: runs.append(
            (text.strip(), bool(font) and font["/BaseFont"].endswith("-Bold"), size)
        )
    )

    assert ("Referral from the safeguarding team", True, 15) in runs
    assert ("Identity", True, 12) in runs
    assert ("Name:", True, 10) in runs
    assert ("Zoë Müller-O'Brien", False, 10) in runs


def test_the_document_is_titled_with_the_disclosure_and_names_no_person_as_author():
    metadata = PdfReader(io.BytesIO(_release())).metadata

    assert metadata.title == "Disclosure 123"
    assert metadata.author == "Partnerhub"


def test_the_same_release_gives_the_same_bytes():
    assert _release() == _release()


# Letters the font draws (Latin with its extensions, Greek, Cyrillic), with digits,
# punctuation and the markup characters that must be escaped.
DRAWABLE = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ"
    "ŁłĆćČčŠšŽžĞğŞşİıŒœąęńśźżěňřťůășțŵŷāēīūőűħġ"
    "ΑαΒβΓγΣσςИиванПетренкоЇїЁё"
    "&<>\"'.,;:!?()[]{}/\\@#%*+=_~€£–—‘’“”…"
)
words = st.text(alphabet=DRAWABLE, min_size=1, max_size=20)
lines = st.lists(words, min_size=1, max_size=40).map(" ".join)
sections = st.lists(lines, min_size=1, max_size=5).map("\n".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(sections, min_size=1, max_size=4).map("\n\n".join))
def test_any_text_the_font_draws_comes_back_out_of_the_document_unchanged(snapshot):
    assert _normalised(_body(_release(snapshot))) == _normalised(snapshot)


def test_the_font_draws_the_latin_greek_and_cyrillic_names_the_module_names():
    # A fresh copy: release_document teaches its own fonts to box the letters they lack.
    drawn = TTFont("DejaVu Sans, as shipped", str(FONTS / "DejaVuSans.ttf")).face.charToGlyph

    latin_1 = [chr(code) for code in range(0xA0, 0x100)]
    named = "ŁłĆćČčŠšŽžĐđĞğŞşİıŒœŸ€–’ąęńśźżěňřťůășțŵŷāēīūőűħġИванΣ"
    assert all(ord(letter) in drawn for letter in latin_1 + list(named))
    lacking = "ሰላምनमस्तेதமிழ்李"
    assert not any(ord(letter) in drawn for letter in lacking)


def test_letters_the_font_lacks_are_kept_in_the_text_a_reader_copies():
    names = "Name: Bożena Wiśniewska, Yonas ዮናስ, Li 李"

    body = _body(_release(f"Referral from the safeguarding team\n{names}"))

    assert _normalised(body) == _normalised(f"Referral from the safeguarding team {names}")


def test_characters_beyond_the_basic_plane_are_written_out_as_their_code_point():
    body = _body(_release("Referral from the safeguarding team\nShe signed her message 😀 𠀋"))

    assert body.splitlines()[-1] == "She signed her message [U+1F600] [U+2000B]"


def test_a_recipient_the_font_cannot_fully_draw_is_kept_in_the_header():
    recipient = "Poviat Police – Łukasz Wiśniewski (lw@police.example)"

    first_page = _pages(_release(recipient=recipient))[0]

    assert first_page[2] == f"To: {recipient}"


def test_a_failure_inside_reportlab_is_a_document_failed(monkeypatch):
    def fail(self):
        raise OSError("disk full")

    monkeypatch.setattr(Canvas, "save", fail)

    with pytest.raises(DocumentFailed) as failure:
        _release()
    assert isinstance(failure.value.__cause__, OSError)
    assert str(failure.value) == "The document for disclosure 123 could not be produced"
