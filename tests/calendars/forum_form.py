"""What the forum form is filled with, for the tests of its checks."""

from core.roles import Role
from meetings.forms import ForumForm
from meetings.models import ForumKind
from tests.factories import UserFactory


def forum_form_data(**overrides):
    """A weekly group on Thursdays, built with the schedule builder. A `schedule_rrule` among
    the overrides is written by hand instead (the advanced choice, which administrators have),
    and an empty one means no regular schedule."""
    kind = ForumKind.objects.get(code="operational-working-group")
    data = {
        "name": "Weekly operational group",
        "kind": kind.pk,
        "schedule_pattern": "weekly",
        "schedule_weeks_apart": "1",
        "schedule_weekdays": ["TH"],
        "schedule_end": "never",
        "schedule_starts_on": "2026-03-01",
        "schedule_time": "10:00",
        "schedule_duration_minutes": "60",
        "schedule_location": "County Hall",
        "organiser_email": "group@example.org",
    }
    if "schedule_rrule" in overrides:
        data["schedule_pattern"] = "advanced" if overrides["schedule_rrule"] else "none"
    data.update(overrides)
    return data


def administrators_forum_form(**overrides) -> ForumForm:
    """The forum form as an administrator, who may write a rule by hand, fills it in."""
    return ForumForm(
        data=forum_form_data(**overrides), user=UserFactory(roles=[Role.ADMINISTRATOR])
    )
