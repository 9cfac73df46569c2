"""The forum list, written in Python (docs/decisions/0023): each forum the person sees, linked,
with its kind, the area it covers, who coordinates it and how many meetings are coming."""

import pytest
from django.urls import reverse

from agencies.models import LocalAuthority, Region
from tests.factories import MeetingFactory


def _row(html: str, forum) -> str:
    start = html.index(f'href="{reverse("meetings:forum-detail", args=[forum.pk])}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.django_db
def test_each_forum_shows_its_kind_area_coordinator_upcoming_meetings_and_whether_it_closed(
    make_forum, police, partnership_manager_client
):
    local_authority = LocalAuthority.objects.first()
    local = make_forum(
        name="Salford <MARAC>", local_authority=local_authority, coordinating_agency=police
    )
    regional = make_forum(
        kind="smp-regional-group", name="North West board", region=Region.objects.first()
    )
    national = make_forum(kind="smp-executive-board", name="National board", is_active=False)
    MeetingFactory(forum=local)

    html = partnership_manager_client.get(reverse("meetings:forum-list")).content.decode()

    assert "Salford &lt;MARAC&gt;</a>" in _row(html, local)
    assert f">{local_authority.name}<" in _row(html, local)
    assert f">{police.name}<" in _row(html, local)
    assert 'numeric">1</td>' in _row(html, local)
    assert f">{Region.objects.first().name}<" in _row(html, regional)
    assert ">National<" in _row(html, national)
    assert 'govuk-tag--grey">Closed' in _row(html, national)
    assert "Closed" not in _row(html, regional)
