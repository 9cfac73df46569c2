"""A meeting's agenda and minutes as a PDF, for one reader: exactly what the meeting page shows
them, and nothing more. Case items whose details they are not shown appear as restricted, and
the minutes carry the general part and only the case parts they read
(`meetings.permissions.minutes_case_parts_readable_by`, applied by `meetings.selectors`).

The layout is sharing's marked document (`sharing.documents.marked_pdf`): OFFICIAL-SENSITIVE
and the reader's name on every page, so a printed copy says whose it is. Markdown is printed as
written, line by line: headings (`#`) and bullets (`- `, `* `) keep their shape, and nothing is
dropped.
"""

from django.utils import dateformat, timezone

from meetings.selectors import MeetingPage
from sharing.documents import DocumentFailed, marked_pdf, paragraph

BULLETS = ("- ", "* ")


def meeting_document(*, page: MeetingPage, reader) -> bytes:
    meeting = page.meeting
    now = dateformat.format(timezone.localtime(), "j F Y, H:i")
    heading = (f"{meeting}", f"For {reader.full_name}, downloaded {now}")
    texts = _texts(page)
    try:
        return marked_pdf(
            title=f"Agenda and minutes: {meeting}",
            subject="OFFICIAL-SENSITIVE: a meeting's agenda and minutes, as one reader may see them",
            heading=heading,
            footer=f"Meeting {meeting.pk}",
            story=lambda styles: _story(page, styles),
            texts=texts,
        )
    except Exception as error:
        raise DocumentFailed(f"The document for meeting {meeting.pk} could not be produced") from (
            error
        )


def _markdown(text: str, styles) -> list:
    flowables = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            flowables.append(paragraph(stripped.lstrip("#").strip(), "heading", styles))
        elif stripped.startswith(BULLETS):
            flowables.append(paragraph(stripped[2:], "bullet", styles, bulletText="-"))
        else:
            flowables.append(paragraph(stripped, "body", styles))
    return flowables


def _item_lines(item) -> tuple[str, str]:
    """An agenda item's heading and text, as the meeting page shows them to this reader."""
    if item.case_id is not None and not getattr(item, "details_shown", False):
        return f"{item.position}. Case item (details restricted)", ""
    return f"{item.position}. {item.title}", item.description


def _minutes_status(minutes) -> str:
    if minutes.status == "approved":
        status = f"Approved by {minutes.approved_by.full_name} on {minutes.approved_at:%-d %B %Y}"
    elif minutes.status == "circulated":
        status = f"Circulated by {minutes.circulated_by.full_name}, not yet approved"
    else:
        status = "Draft, not circulated"
    version = f"Version {minutes.version}"
    if minutes.version > 1:
        version += f", a correction: {minutes.correction_reason}"
    return f"{status}. {version}."


def _story(page: MeetingPage, styles) -> list:
    story = [paragraph(str(page.meeting), "title", styles), paragraph("Agenda", "heading", styles)]
    for item in page.agenda:
        title, description = _item_lines(item)
        story.append(paragraph(title, "body", styles))
        story += _markdown(description, styles)
    if not page.agenda:
        story.append(paragraph("No agenda items.", "body", styles))
    story.append(paragraph("Minutes", "heading", styles))
    minutes = page.minutes[0] if page.minutes else None
    if minutes is None:
        story.append(paragraph(_no_minutes(page), "body", styles))
        return story
    story.append(paragraph(_minutes_status(minutes), "body", styles))
    if minutes.shown_case_parts:
        story.append(paragraph("General", "heading", styles))
    story += _markdown(minutes.body, styles)
    for part in minutes.shown_case_parts:
        story.append(paragraph(f"Case {part.agenda_item.case.reference}", "heading", styles))
        story += _markdown(part.body, styles)
    if page.case_parts_withheld:
        story.append(
            paragraph(
                f"Parts about cases not shared with you are left out ({page.case_parts_withheld}).",
                "body",
                styles,
            )
        )
    return story


def _no_minutes(page: MeetingPage) -> str:
    if page.minutes_written and not page.minutes_shown:
        return (
            "These minutes discuss cases, so they are shown only to people who may see every "
            "case item of this meeting."
        )
    if page.minutes_written:
        return "The minutes have not been circulated to you yet."
    return "No minutes yet."


def _texts(page: MeetingPage) -> list[str]:
    texts = [str(page.meeting)]
    for item in page.agenda:
        texts += _item_lines(item)
    for minutes in page.minutes[:1]:
        texts += [minutes.body, _minutes_status(minutes)]
        texts += [part.body for part in minutes.shown_case_parts]
    return texts
