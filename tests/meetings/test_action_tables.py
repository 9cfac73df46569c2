"""The action tables, written in Python (docs/decisions/0023): each row links to its action by
its description, escaped and cut short, names its owner and their agency, the meeting it came
from and when it is due, and carries the status a reader acts on."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import Closure

TODAY = datetime(2026, 2, 10, 12, tzinfo=LONDON)


@pytest.fixture
def meetings(marac, generate):
    return generate(marac, date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def give(meetings, partnership_manager, police):
    def give(description, due_on, **fields):
        fields.setdefault("owner_agency", police)
        return services.create_action(
            meeting=meetings[0],
            description=description,
            due_on=due_on,
            actor=partnership_manager,
            **fields,
        )

    return give


@pytest.mark.django_db
def test_the_forum_page_lists_each_open_action_with_its_owner_meeting_due_date_and_status(
    give, marac, police_officer, partnership_manager, partnership_manager_client, meetings
):
    overdue = give("Chase the <b>GP</b> letter", date(2026, 2, 1), owner=police_officer)
    started = give("Book the interpreter", date(2026, 3, 1))
    services.update_action(
        action=started, note="Asked the agency", in_progress=True, actor=partnership_manager
    )
    waiting = give("A" * 150, date(2026, 3, 2))
    with time_machine.travel(TODAY):
        html = partnership_manager_client.get(
            reverse("meetings:forum-detail", args=[marac.pk])
        ).content.decode()

    def row(action):
        link = reverse("meetings:action-detail", args=[action.pk])
        start = html.index(f'href="{link}"')
        return html[start : html.index("</tr>", start)]

    first_meeting = meetings[0].start.astimezone(LONDON)
    meeting_day = f"{first_meeting.day} {first_meeting:%b %Y}"
    assert "Chase the &lt;b&gt;GP&lt;/b&gt; letter" in row(overdue)
    assert "Dana Police, Greater Manchester Police" in row(overdue)
    assert meeting_day in row(overdue) and "1 Feb 2026" in row(overdue)
    assert 'govuk-tag--red">Overdue' in row(overdue)
    assert 'govuk-tag--light-blue">In progress' in row(started)
    assert ">Greater Manchester Police</td>" in row(started)
    assert "A" * 119 + "…" in row(waiting) and "A" * 120 not in row(waiting)
    assert 'govuk-tag--blue">Open' in row(waiting)


@pytest.mark.django_db
def test_my_closed_actions_show_how_they_were_closed_and_which_forum_gave_them(
    give, marac, police_officer, client
):
    done = give("Send the safety plan", date(2026, 1, 5), owner=police_officer)
    dropped = give("Visit the address", date(2026, 1, 6), owner=police_officer)
    services.close_action(action=done, closure=Closure.DONE, reason="", actor=police_officer)
    services.close_action(
        action=dropped, closure=Closure.NOT_POSSIBLE, reason="Moved away", actor=police_officer
    )
    client.force_login(police_officer)
    with time_machine.travel(TODAY):
        html = client.get(reverse("meetings:action-mine")).content.decode()
    closed = html[html.index('id="closed-actions-caption"') :]
    for action, tag in (
        (done, 'govuk-tag--green">Done'),
        (dropped, 'govuk-tag--grey">Not possible – change of circumstances'),
    ):
        link = reverse("meetings:action-detail", args=[action.pk])
        start = closed.index(f'href="{link}"')
        row = closed[start : closed.index("</tr>", start)]
        assert tag in row, row
        assert f"{marac.name}, " in row
