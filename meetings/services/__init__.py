"""Every change to forums, meetings, attendance, agendas, case items, minutes and actions, one
module per concern.

Each function takes the acting person and first checks it with a `require_…` function of
meetings/permissions.py (which raises `core.authority.NotPermitted`), then checks the rule,
and writes its audit event in the same transaction. Views, the demo and tests all come through
here. Case information reaches an agency only through sharing's gate, `release_to_agencies`:
listing a case, sharing it later, and giving an action on it to an agency.
"""

from meetings.refusals import CaseItemRefused, Refused
from meetings.services.actions import (
    STILL_OPEN,
    close_action,
    create_action,
    reassign_action,
    review_action,
    update_action,
)
from meetings.services.agenda import (
    add_agenda_item,
    add_paper,
    change_agenda_item,
    move_agenda_item,
    paper_by_link,
    record_paper_download,
)
from meetings.services.attendance import (
    answer_by_link,
    default_contact,
    invite,
    record_attendance,
    remove_invitation,
    respond,
    send_deputy,
    send_deputy_by_link,
)
from meetings.services.calendar_feeds import reset_calendar_feed
from meetings.services.case_items import add_case_item, affirm_confidentiality, share_case_item
from meetings.services.forums import SCHEDULE_CHANGED, save_forum
from meetings.services.hearings import record_hearing
from meetings.services.meetings import (
    MAX_SERIES_DAYS,
    cancel_meeting,
    cancel_series,
    create_meeting,
    mark_meeting_held,
    reschedule_meeting,
    schedule_series,
)
from meetings.services.minutes import (
    approve_minutes,
    circulate_minutes,
    comment_by_link,
    comment_on_minutes,
    correct_minutes,
    current_minutes,
    resolve_minutes_comment,
    write_minutes,
)

__all__ = [
    "MAX_SERIES_DAYS",
    "SCHEDULE_CHANGED",
    "STILL_OPEN",
    "CaseItemRefused",
    "Refused",
    "add_agenda_item",
    "add_case_item",
    "add_paper",
    "affirm_confidentiality",
    "answer_by_link",
    "approve_minutes",
    "cancel_meeting",
    "cancel_series",
    "change_agenda_item",
    "circulate_minutes",
    "close_action",
    "comment_by_link",
    "comment_on_minutes",
    "correct_minutes",
    "create_action",
    "create_meeting",
    "current_minutes",
    "default_contact",
    "invite",
    "mark_meeting_held",
    "move_agenda_item",
    "paper_by_link",
    "reassign_action",
    "record_attendance",
    "record_hearing",
    "record_paper_download",
    "remove_invitation",
    "reschedule_meeting",
    "reset_calendar_feed",
    "resolve_minutes_comment",
    "respond",
    "review_action",
    "save_forum",
    "schedule_series",
    "send_deputy",
    "send_deputy_by_link",
    "share_case_item",
    "update_action",
    "write_minutes",
]
