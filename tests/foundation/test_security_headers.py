"""Every page carries a strict Content-Security-Policy and contains nothing it would block."""

import pytest
from django.urls import reverse

from tests.pages import inline_code_in, links_in

PERSONAS = [
    "administrator_client",
    "officer_client",
    "manager_client",
    "partnership_manager_client",
    "authority_client",
    "compliance_client",
    "partner_client",
]


def _crawl(client, start="/", limit=60):
    """Every page reachable by links from the home page, as this person."""
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if (
            path in seen
            or path.startswith(("/accounts/logout", "/admin/", "/static/"))
            or "export" in path
        ):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        pages[path] = (response, html)
        queue.extend(link for link in links_in(html) if link not in seen)
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_has_inline_script_or_style_and_every_page_has_a_strict_policy(request, persona):
    client = request.getfixturevalue(persona)
    pages = _crawl(client)
    assert reverse("home") in pages
    for path, (response, html) in pages.items():
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy, path
        assert "frame-ancestors 'none'" in policy, path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert inline_code_in(html) == [], path


@pytest.mark.django_db
def test_sign_in_page_is_covered_by_the_policy_too(client):
    response = client.get(reverse("account_login"))
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert inline_code_in(response.content.decode()) == []


def test_inline_code_finder_catches_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<div style="color:red" onclick="x()"><a href="javascript:void(0)">x</a></div><style>p{}</style>'
        '<script type="application/json">{"data": 1}</script>'
    )
    assert inline_code_in(html) == [
        "inline script: 'alert(1)'",
        "style attribute on <div>",
        "onclick handler on <div>",
        "javascript: URL in href",
        "<style> element",
    ]


@pytest.mark.django_db
def test_pages_are_laid_out_with_a_skip_link_and_the_service_name_without_the_crown(officer_client):
    html = officer_client.get(reverse("home")).content.decode()
    assert 'class="govuk-skip-link"' in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert "Partnerhub" in html
    assert "govuk-header__logotype" not in html
    assert "GDS Transport" not in html


@pytest.mark.django_db
def test_error_pages_are_styled(officer_client):
    response = officer_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-heading-l" in response.content.decode()
