"""Forums, their meetings, who is invited and who came, agendas, minutes and actions, one
module per concern.

Times are stored in UTC and shown in Europe/London. A meeting generated from its forum's
schedule keeps the occurrence it was generated for (`original_start`), so moving or cancelling
it never breaks the series and calendars can name it by RECURRENCE-ID.
"""

from meetings.models.actions import (
    OPEN_STATUSES,
    Action,
    ActionQuerySet,
    ActionStatus,
    ActionUpdate,
    Closure,
)
from meetings.models.agenda import (
    CONFIDENTIALITY_STATEMENT,
    AgendaItem,
    ConfidentialityAffirmation,
    Paper,
    _paper_path,
)
from meetings.models.attendance import Attendance, Outcome, Response
from meetings.models.calendars import CalendarFeed, CalendarMessage, CalendarMethod, DeliveryStatus
from meetings.models.forums import MARAC, Forum, ForumKind, ForumLevel
from meetings.models.hearings import (
    HEARD_OUTCOMES,
    CaseHearing,
    CaseListCirculation,
    HearingOutcome,
)
from meetings.models.meetings import Meeting, MeetingStatus
from meetings.models.minutes import Minutes, MinutesCasePart, MinutesComment, MinutesStatus
from meetings.recurrence import normalise_rrule, validate_rrule
from meetings.refusals import Refused

# Migration 0001 names validate_rrule and _paper_path here.
__all__ = [
    "CONFIDENTIALITY_STATEMENT",
    "HEARD_OUTCOMES",
    "MARAC",
    "OPEN_STATUSES",
    "Action",
    "ActionQuerySet",
    "ActionStatus",
    "ActionUpdate",
    "AgendaItem",
    "Attendance",
    "CalendarFeed",
    "CalendarMessage",
    "CalendarMethod",
    "CaseHearing",
    "CaseListCirculation",
    "Closure",
    "ConfidentialityAffirmation",
    "DeliveryStatus",
    "Forum",
    "ForumKind",
    "ForumLevel",
    "HearingOutcome",
    "Meeting",
    "MeetingStatus",
    "Minutes",
    "MinutesCasePart",
    "MinutesComment",
    "MinutesStatus",
    "Outcome",
    "Paper",
    "Refused",
    "Response",
    "_paper_path",
    "normalise_rrule",
    "validate_rrule",
]
