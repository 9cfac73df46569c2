"""Forms for forums, meetings, attendance, agendas, case items, minutes and actions, one
module per concern."""

from meetings.forms.actions import ActionForm, ActionReviewForm, ActionUpdateForm, CloseActionForm
from meetings.forms.agenda import AgendaItemForm, PaperForm
from meetings.forms.attendance import (
    AttendanceEntryForm,
    DeputyForm,
    FillSeatForm,
    InviteForm,
    LinkAnswerForm,
    LinkDeputyForm,
    RemoveInvitationForm,
    RespondForm,
)
from meetings.forms.calendars import parse_day, parse_month
from meetings.forms.case_items import CaseItemForm, CaseItemShareForm
from meetings.forms.fields import MARKDOWN_HINT, TimeInput
from meetings.forms.forums import (
    ForumForm,
    PreviewOccurrence,
    RecurrenceRuleField,
    SeriesStartDateField,
)
from meetings.forms.hearings import CaseHearingForm
from meetings.forms.meetings import (
    CancelMeetingForm,
    CancelSeriesForm,
    GenerateMeetingsForm,
    MeetingForm,
    default_period,
)
from meetings.forms.minutes import (
    CASE_PART_PREFIX,
    CorrectionForm,
    MinutesCommentForm,
    MinutesForm,
    ResolveCommentForm,
)

__all__ = [
    "CASE_PART_PREFIX",
    "MARKDOWN_HINT",
    "ActionForm",
    "ActionReviewForm",
    "ActionUpdateForm",
    "AgendaItemForm",
    "AttendanceEntryForm",
    "CancelMeetingForm",
    "CancelSeriesForm",
    "CaseHearingForm",
    "CaseItemForm",
    "CaseItemShareForm",
    "CloseActionForm",
    "CorrectionForm",
    "DeputyForm",
    "FillSeatForm",
    "ForumForm",
    "GenerateMeetingsForm",
    "InviteForm",
    "LinkAnswerForm",
    "LinkDeputyForm",
    "MeetingForm",
    "MinutesCommentForm",
    "MinutesForm",
    "PaperForm",
    "PreviewOccurrence",
    "RecurrenceRuleField",
    "RemoveInvitationForm",
    "ResolveCommentForm",
    "RespondForm",
    "SeriesStartDateField",
    "TimeInput",
    "default_period",
    "parse_day",
    "parse_month",
]
