"""When something goes wrong the person still sees a Partnerhub page, laid out like the rest."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.pages import inline_code_in


def _assert_laid_out_like_every_page(response, heading):
    html = response.content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert '<body class="govuk-template__body">' in html
    assert 'href="/static/build/partnerhub.css"' in html
    assert 'class="partnerhub-header__service">Partnerhub</a>' in html
    assert 'class="govuk-skip-link"' in html and 'id="main-content"' in html
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert f"<title>{heading} – Partnerhub</title>" in html
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert inline_code_in(html) == []


@pytest.mark.django_db
def test_a_malformed_request_gets_the_styled_400_page(client):
    too_many_fields = {f"field{number}": "x" for number in range(1_001)}
    response = client.post(reverse("account_login"), too_many_fields)
    assert response.status_code == 400
    _assert_laid_out_like_every_page(response, "Sorry, there is a problem with your request")


@pytest.mark.django_db
def test_a_page_the_role_may_not_use_gets_the_styled_403_page(officer_client):
    response = officer_client.get(reverse("agencies:invitation-create"))
    assert response.status_code == 403
    _assert_laid_out_like_every_page(response, "You do not have permission to see this page")
    assert 'class="govuk-service-navigation__link"' in response.content.decode()


@pytest.mark.django_db
def test_a_missing_page_gets_the_styled_404_page(officer_client):
    response = officer_client.get("/no-such-page/")
    assert response.status_code == 404
    _assert_laid_out_like_every_page(response, "Page not found")


@pytest.mark.django_db
def test_a_page_that_breaks_gets_the_styled_500_page(monkeypatch, officer):
    def broken_dashboard(user):
        raise RuntimeError("the dashboard broke")

    monkeypatch.setattr("home.views.cards_for", broken_dashboard)
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    _assert_laid_out_like_every_page(response, "Sorry, there is a problem with the service")
    assert "the dashboard broke" not in response.content.decode()
