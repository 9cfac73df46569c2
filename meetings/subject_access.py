"""The meetings' part of a subject access copy: each case item the person appeared in, what the
minutes said about it, the MARAC's outcome and the actions agreed on it."""

from meetings.models import Action, AgendaItem, CaseHearing, MinutesCasePart
from sharing.subject_access import Section, register


def _case_items(case) -> list[Section]:
    items = list(
        AgendaItem.objects.filter(case=case)
        .select_related("meeting__forum")
        .order_by("meeting__start", "pk")
    )
    hearings = {
        hearing.agenda_item_id: hearing
        for hearing in CaseHearing.objects.filter(agenda_item__in=items).select_related(
            "referring_agency", "idva_agency"
        )
    }
    minutes = {}
    for part in MinutesCasePart.objects.filter(agenda_item__in=items).order_by("minutes_id"):
        minutes[part.agenda_item_id] = part.body
    actions = Action.objects.filter(agenda_item__in=items).select_related("owner_agency")
    listed = []
    for item in items:
        hearing = hearings.get(item.pk)
        listed.append(
            {
                "Meeting": f"{item.meeting.forum.name}, {item.meeting.start:%Y-%m-%d}",
                "Summary shared with the agencies attending": item.description,
                "What the minutes say": minutes.get(item.pk, ""),
                "Outcome": hearing.get_outcome_display() if hearing else "",
                "Notes on the outcome": hearing.notes if hearing else "",
                "Independent domestic violence adviser": hearing.idva_name if hearing else "",
            }
        )
    return [
        Section("meeting_case_items", "Meetings that discussed the case", listed),
        Section(
            "meeting_actions",
            "Actions agreed about the case",
            [
                {
                    "Action": action.description,
                    "Owner agency": action.owner_agency.name if action.owner_agency else "",
                    "Due on": action.due_on.isoformat(),
                    "Status": action.get_status_display(),
                }
                for action in actions
            ],
        ),
    ]


def register_section():
    register(_case_items)
