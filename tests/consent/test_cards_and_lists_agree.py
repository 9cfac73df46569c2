"""Every count on the home page opens a list of exactly the items it counted (issue 24, item 6):
a card that says 7 and opens a list of 40 teaches people to distrust both."""

import pytest
from django.urls import reverse


def _listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    assert "page" in response.context, url
    return response.context["page"].paginator.count


@pytest.mark.site_crawl
@pytest.mark.django_db
def test_every_card_of_every_demo_person_opens_a_list_of_exactly_what_it_counts(demo_clients):
    disagreements, counted = {}, 0
    for role, client in demo_clients.items():
        for card in client.get(reverse("home")).context["cards"]:
            listed = _listed(client, card.url)
            counted += card.count
            if listed != card.count:
                disagreements[f"{role}: {card.title}"] = (card.count, listed)
    assert disagreements == {}
    # The demo gives the cards something to count, so agreement was not 0 == 0 everywhere.
    assert counted > 50
