"""The suite's mail backend: Django's in-memory one, which also reads every notification e-mail
as it is sent for the case data no notification may carry (names, dates of birth, notes), so
any test that sends one also proves it carries none."""

from django.core.mail.backends.locmem import EmailBackend

from notifications.delivery import KIND_HEADER
from sharing.models import Case, CaseNote, HouseholdMember

# What the scan found, test by test; tests/conftest.py fails the test that sent it.
FOUND: list[str] = []


def _spellings(born) -> set[str]:
    # Retention erases a date of birth (sharing/services/retention.py): none left to spell.
    if born is None:
        return set()
    return {born.isoformat(), f"{born:%d/%m/%Y}", f"{born:%-d %B %Y}"}


def case_data() -> set[str]:
    """Every name, date of birth and note on record, in the forms an e-mail could spell them."""
    found = set()
    for given, family, born in Case.objects.values_list(
        "given_names", "family_name", "date_of_birth"
    ):
        found |= {given, family, f"{given} {family}", *_spellings(born)}
    for name, born in HouseholdMember.objects.values_list("full_name", "date_of_birth"):
        found |= {name, *_spellings(born)}
    found |= set(CaseNote.objects.values_list("text", flat=True))
    # A short name would match inside ordinary words; none is that short in the demo or tests.
    return {value for value in found if value and len(value) >= 4}


def case_data_in(text: str, data: set[str]) -> list[str]:
    return sorted(value for value in data if value in text)


class CaseDataScanningBackend(EmailBackend):
    def send_messages(self, messages):
        notifications = [m for m in messages if KIND_HEADER in m.extra_headers]
        if notifications:
            data = case_data()
            for message in notifications:
                text = f"{message.subject}\n{message.body}"
                FOUND.extend(
                    f"{message.subject!r} carries {value!r}" for value in case_data_in(text, data)
                )
        return super().send_messages(messages)
