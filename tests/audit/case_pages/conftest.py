"""The sharing suite's cases and referrals, for the audit tests of case pages."""

from tests.sharing.conftest import (  # noqa: F401
    case,
    case_fields,
    idva_service,
    make_case,
    make_referral,
    manchester,
)
