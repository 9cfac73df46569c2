"""The meetings suite's forums, listed case items and discussed meetings, for the audit tests
of meeting pages: the same fixtures, so these tests build exactly what the meetings tests do."""

from tests.meetings.conftest import (  # noqa: F401
    generate,
    idva_service,
    make_forum,
    marac,
    police,
    police_officer,
)
from tests.meetings.test_case_items import (  # noqa: F401
    add_item,
    agreements,
    attending,
    case,
    clock,
    consent,
    discussed,
    latecomer,
    listed,
    make_case,
    meeting,
    meetings,
)
