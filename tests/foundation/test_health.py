"""The load balancer's health check follows the database."""

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_health_check_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


@pytest.mark.django_db
def test_health_check_answers_503_when_the_database_does_not(client):
    with mock.patch("home.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
