"""No page carries the same id twice: a label, an error-summary link, aria-labelledby or a skip
link that names a repeated id reaches only the first element, and assistive technology names or
announces the wrong thing (WCAG 1.3.1 and 4.1.2)."""

import pytest

from tests.pages import duplicate_ids_in, pages_of_everyone


@pytest.mark.site_crawl
@pytest.mark.django_db
def test_no_page_of_the_demo_carries_an_id_twice(demo_clients):
    pages = pages_of_everyone(demo_clients)
    repeated = {
        f"{role}: {path}": found
        for (role, path), html in pages.items()
        if (found := duplicate_ids_in(html))
    }
    assert repeated == {}
    # The crawl reached the demo's pages, not only each person's home page.
    assert len(pages) > 300


def test_the_id_finder_names_each_repeated_id_once():
    html = '<p id="a"></p><p id="b"><span id="a"></span><input id="a"></p><br id="c">'
    assert duplicate_ids_in(html) == ["a"]
