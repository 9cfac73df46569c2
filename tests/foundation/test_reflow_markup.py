"""The markup that lets every page reflow at 320 CSS pixels (WCAG 1.4.10), as the server sends
it: a table scrolls sideways inside its own region, which is named and takes the keyboard focus
(WCAG 2.1.1), and back links and breadcrumbs sit inside the main landmark. The browser test
(tests/browser/test_reflow.py) measures the pages themselves."""

import pytest
from django.template import Context, Template

from tests.pages import elements_in, pages_of_everyone


def _unscrolled_tables(html) -> list[str]:
    """Tables not inside a focusable region labelled by an element of the page."""
    elements = elements_in(html)
    ids = {attributes["id"] for _, attributes, _ in elements if "id" in attributes}
    problems = []
    for number, (tag, _, ancestors) in enumerate(elements):
        if tag != "table":
            continue
        regions = [
            attributes
            for _, attributes in ancestors
            if "partnerhub-table-scroll" in (attributes.get("class") or "").split()
        ]
        if not regions:
            problems.append(f"table {number} scrolls the page")
            continue
        region = regions[-1]
        if region.get("role") != "region" or region.get("tabindex") != "0":
            problems.append(f"table {number}'s region is not a focusable region")
        if region.get("aria-labelledby") not in ids and not region.get("aria-label"):
            problems.append(f"table {number}'s region is not named by an element of the page")
    return problems


def _links_outside_main(html) -> list[str]:
    return [
        " ".join(attributes.get("class", "").split()[:1])
        for tag, attributes, ancestors in elements_in(html)
        if {"govuk-back-link", "govuk-breadcrumbs"} & set((attributes.get("class") or "").split())
        and "main" not in [ancestor for ancestor, _ in ancestors]
    ]


@pytest.mark.site_crawl
@pytest.mark.django_db
def test_every_table_of_the_demo_scrolls_in_a_named_region_and_back_links_are_in_main(
    demo_clients,
):
    pages = pages_of_everyone(demo_clients)
    tables, outside_main = {}, {}
    for (role, path), html in pages.items():
        if found := _unscrolled_tables(html):
            tables[f"{role}: {path}"] = found
        if found := _links_outside_main(html):
            outside_main[f"{role}: {path}"] = found
    assert tables == {}
    assert outside_main == {}
    # The crawl met tables and back links, so both assertions were put to the test.
    assert sum(html.count("<table") for html in pages.values()) > 100
    assert sum("govuk-back-link" in html for html in pages.values()) > 20


def test_a_scrolling_table_is_named_by_its_caption_and_takes_the_focus():
    html = Template(
        '{% load govuk %}{% scrolling_table "plan-" item %}'
        '<table><caption id="plan-{{ item }}">Plan</caption></table>{% endscrolling_table %}'
    ).render(Context({"item": 7}))
    assert html == (
        '<div class="partnerhub-table-scroll" role="region" aria-labelledby="plan-7" '
        'tabindex="0"><table><caption id="plan-7">Plan</caption></table></div>'
    )
    assert _unscrolled_tables(html) == []
    assert _unscrolled_tables("<div><table></table></div>") == ["table 1 scrolls the page"]
