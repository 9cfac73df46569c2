"""Every page carries a strict Content-Security-Policy and contains nothing it would block."""

import pytest
from django.urls import resolve, reverse

from core.roles import Role
from sharing.models import Case
from tests.pages import crawl, inline_code_in

# Pages the demo data must lead the crawl to: without them it would check only empty lists.
MUST_REACH = {
    "agencies:agency-detail",
    "sharing:case-detail",
    "sharing:disclosure-detail",
    "meetings:forum-detail",
    "meetings:meeting-detail",
    "meetings:action-detail",
    "audit:object-trail",
}


def _problems_on(response, html):
    problems = inline_code_in(html)
    policy = response["Content-Security-Policy"]
    if "script-src 'self'" not in policy or "unsafe-inline" in policy:
        problems.append(f"weak policy: {policy}")
    if "frame-ancestors 'none'" not in policy or response["X-Frame-Options"] != "DENY":
        problems.append("may be framed")
    if response["Referrer-Policy"] != "same-origin":
        problems.append("referrer policy missing")
    return problems


def _forms_shown_again_with_errors(clients):
    case = Case.objects.filter(status="open").first()
    forms = [
        (Role.ADMINISTRATOR, reverse("agencies:invitation-create"), {"email": "not an address"}),
        (Role.PARTNERSHIP_MANAGER, reverse("agencies:agency-create"), {"name": ""}),
        (Role.PARTNERSHIP_MANAGER, reverse("meetings:forum-create"), {"name": ""}),
        (Role.SAFEGUARDING_OFFICER, reverse("sharing:case-create"), {"summary": ""}),
        (
            Role.SAFEGUARDING_MANAGER,
            reverse("sharing:referral-create", args=[case.pk]),
            {"reason": ""},
        ),
    ]
    for role, path, data in forms:
        response = clients[role].post(path, data)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert "There is a problem" in html, path
        yield f"{role}: {path} with errors", response, html


@pytest.mark.site_crawl
@pytest.mark.django_db
def test_no_page_has_inline_script_or_style_and_every_page_has_a_strict_policy(demo_clients):
    problems, reached = {}, set()
    for role, client in demo_clients.items():
        pages = crawl(client)
        assert reverse("home") in pages, role
        for path, (response, html) in pages.items():
            reached.add(resolve(path.partition("?")[0]).view_name)
            if found := _problems_on(response, html):
                problems[f"{role}: {path}"] = found
    for label, response, html in _forms_shown_again_with_errors(demo_clients):
        if found := _problems_on(response, html):
            problems[label] = found
    assert problems == {}
    assert reached >= MUST_REACH


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
