"""What the forum form is filled with, for the tests of its checks."""

from meetings.models import ForumKind


def forum_form_data(**overrides):
    kind = ForumKind.objects.get(code="operational-working-group")
    data = {
        "name": "Weekly operational group",
        "kind": kind.pk,
        "schedule_rrule": "FREQ=WEEKLY;BYDAY=TH",
        "schedule_starts_on": "2026-03-01",
        "schedule_time": "10:00",
        "schedule_duration_minutes": "60",
        "schedule_location": "County Hall",
        "organiser_email": "group@example.org",
    }
    data.update(overrides)
    return data
