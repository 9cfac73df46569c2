"""A meeting's attendance table, written in Python (docs/decisions/0023): each invitation is a
row naming the agency and the invitee (a person, a directory contact or a seat to fill), how
they answered, who came, whether they affirmed the confidentiality statement, and, for those
who manage the meeting, the links that change it; names are escaped."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import Attendance, Outcome
from tests.factories import ContactFactory

BEFORE = datetime(2026, 1, 5, 9, tzinfo=LONDON)
AFTER = datetime(2026, 1, 13, 12, 5, tzinfo=LONDON)


@pytest.fixture
def january(marac, generate):
    with time_machine.travel(BEFORE):
        return generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]


@pytest.fixture
def invitations(january, partner_user, police, idva_service, partnership_manager):
    contact = ContactFactory(agency=idva_service, full_name="Dr <b>Kay</b> O'Neil")
    with time_machine.travel(BEFORE):
        by_contact = services.invite(
            meeting=january, agency=idva_service, contact=contact, actor=partnership_manager
        )
    return {
        "person": Attendance.objects.get(meeting=january, person=partner_user),
        "seat": Attendance.objects.get(meeting=january, agency=police, person__isnull=True),
        "contact": by_contact,
    }


def _row(html, text):
    """The attendance table's row that holds `text`."""
    table = html[html.index('id="attendance"') : html.index('id="minutes"')]
    start = table.rindex('<tr class="govuk-table__row">', 0, table.index(text))
    return table[start : table.index("</tr>", start)]


def _page(client, meeting):
    return client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()


@pytest.mark.django_db
def test_each_invitation_is_a_row_with_the_links_its_managers_need(
    january, invitations, partnership_manager_client, partner_user, police
):
    with time_machine.travel(BEFORE):
        html = _page(partnership_manager_client, january)

    person = _row(html, partner_user.full_name)
    person_id = invitations["person"].pk
    assert "Invited" in person
    assert "Not yet affirmed" in person
    assert reverse("meetings:attendance-deputy", args=[person_id]) in person
    assert reverse("meetings:attendance-remove", args=[person_id]) in person

    seat = _row(html, "Seat to be filled")
    assert police.name in seat
    fill = reverse("meetings:attendance-fill-seat", args=[invitations["seat"].pk])
    assert f'<a class="govuk-link" href="{fill}">Name someone' in seat
    assert "affirmed" not in seat

    contact = _row(html, "Directory contact")
    assert "Dr &lt;b&gt;Kay&lt;/b&gt; O&#x27;Neil<br>" in contact
    assert reverse("meetings:attendance-remove", args=[invitations["contact"].pk]) in contact
    assert "Send a deputy" not in contact


@pytest.mark.django_db
def test_who_came_is_shown_with_deputies_and_information_sent_in_advance(
    january, invitations, partnership_manager, partner_client, partner_user, police
):
    with time_machine.travel(AFTER):
        services.record_attendance(
            meeting=january,
            entries=[
                (invitations["person"], Outcome.ATTENDED, "Jo <i>Deputy</i>", False),
                (invitations["seat"], Outcome.APOLOGIES, "", True),
                (invitations["contact"], Outcome.ABSENT, "", False),
            ],
            actor=partnership_manager,
        )
        html = _page(partner_client, january)

    person = _row(html, partner_user.full_name)
    assert (
        f"Attended: Jo &lt;i&gt;Deputy&lt;/i&gt; attended as deputy for {partner_user.full_name}"
        in person
    )
    assert "Apologies (sent information in advance)" in _row(html, "Seat to be filled")
    assert "Absent" in _row(html, "Directory contact")
    # Someone who does not manage the meeting is given none of the links that change it.
    assert "Name someone" not in html
    assert "Withdraw" not in html
    assert "Send a deputy" not in html
