"""Forum, meeting, attendance, agenda, case item, minutes, action and calendar pages, one
module per concern. Thin: parse, authorise, call a service, render."""

from meetings.views.actions import action_create, action_detail, action_review, my_actions
from meetings.views.agenda import (
    agenda_item_create,
    agenda_item_edit,
    agenda_item_move,
    paper_download,
    paper_upload,
)
from meetings.views.attendance import (
    attendance_deputy,
    attendance_fill_seat,
    attendance_invite,
    attendance_record,
    attendance_remove,
    attendance_respond,
)
from meetings.views.calendars import (
    calendar_feed,
    calendar_messages,
    calendar_reset,
    forum_calendar,
    forum_feed,
    meeting_calendar,
    my_calendar,
    my_meetings,
)
from meetings.views.case_items import (
    case_hearing_record,
    case_item_create,
    case_item_share,
    meeting_affirm,
)
from meetings.views.contact_links import contact_invitation, contact_minutes, contact_paper
from meetings.views.forums import (
    forum_create,
    forum_detail,
    forum_edit,
    forum_list,
    forum_overdue_actions,
    series_cancel,
)
from meetings.views.meetings import (
    meeting_cancel,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_generate,
)
from meetings.views.minutes import (
    meeting_document_download,
    minutes_comment,
    minutes_comment_resolve,
    minutes_correct,
    minutes_edit,
    minutes_transition,
)

__all__ = [
    "action_create",
    "action_detail",
    "action_review",
    "agenda_item_create",
    "agenda_item_edit",
    "agenda_item_move",
    "attendance_deputy",
    "attendance_fill_seat",
    "attendance_invite",
    "attendance_record",
    "attendance_remove",
    "attendance_respond",
    "calendar_feed",
    "calendar_messages",
    "calendar_reset",
    "case_hearing_record",
    "case_item_create",
    "case_item_share",
    "contact_invitation",
    "contact_minutes",
    "contact_paper",
    "forum_calendar",
    "forum_create",
    "forum_detail",
    "forum_edit",
    "forum_feed",
    "forum_list",
    "forum_overdue_actions",
    "meeting_affirm",
    "meeting_calendar",
    "meeting_cancel",
    "meeting_create",
    "meeting_detail",
    "meeting_document_download",
    "meeting_edit",
    "meeting_generate",
    "minutes_comment",
    "minutes_comment_resolve",
    "minutes_correct",
    "minutes_edit",
    "minutes_transition",
    "my_actions",
    "my_calendar",
    "my_meetings",
    "paper_download",
    "paper_upload",
    "series_cancel",
]
