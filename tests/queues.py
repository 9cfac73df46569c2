"""Reading a work queue and its home card the way a person meets them: the page's rows, the
card that links to it, and the navigation's count beside it."""


def listed(response) -> list[int]:
    """The primary keys a queue page lists, in order."""
    assert response.status_code == 200, response.status_code
    return [item.pk for item in response.context["page"].object_list]


def card(client, title: str):
    return next(card for card in client.get("/").context["cards"] if card.title == title)


def navigation_count(client, label: str) -> int | None:
    items = client.get("/").context["navigation"]
    return next(item["count"] for item in items if item["label"] == label)


def assert_card_opens_the_queue_it_counts(client, title: str, url: str) -> int:
    """The card links to the queue and counts exactly what the queue lists; returns the count."""
    home_card = card(client, title)
    assert home_card.url == url
    assert home_card.count == client.get(url).context["page"].paginator.count
    return home_card.count
