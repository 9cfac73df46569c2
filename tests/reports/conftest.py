import pytest

from tests.reports.history import make_history


@pytest.fixture
def history(officer, manager, authority_user):
    return make_history(officer=officer, manager=manager, authority=authority_user)
