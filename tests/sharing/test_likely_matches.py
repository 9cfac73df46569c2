"""Find the person first: before a case is opened, the cases that may already be the person's are
shown with the reason they match, and opening another anyway needs a reason, kept on the case
and on record. Runs on SQLite (name keys) and on PostgreSQL (name keys and trigrams)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing import selectors, services
from sharing.models import Case, CaseNote, CaseReferenceCounter
from sharing.selectors.matches import (
    SAME_AUTHORITY_REFERENCE,
    SAME_BIRTH_DATE_AND_NAME,
    SAME_BIRTH_DATE_AND_POSTCODE,
    SAME_BIRTH_DATE_POSTCODE_AND_NAME,
    SAME_POSTCODE_AND_NAME,
)
from tests.factories import case_values
from tests.sharing.case_form import case_form_data

pytestmark = pytest.mark.django_db

BORN = date(1990, 5, 12)


def _split(name):
    given_names, family_name = name.rsplit(" ", 1) if " " in name else (name, "")
    return given_names, family_name


def _existing(make_case, name, **fields):
    given_names, family_name = _split(name)
    values = {
        "given_names": given_names,
        "family_name": family_name,
        "date_of_birth": BORN,
        "postcode": "B19 2TH",
        "authority_reference": "",
        **fields,
    }
    return make_case(**values)


def _matches(user, name, *, born=BORN, postcode="", authority_reference=""):
    given_names, family_name = _split(name)
    return selectors.likely_matches(
        user=user,
        given_names=given_names,
        family_name=family_name,
        date_of_birth=born,
        postcode=postcode,
        authority_reference=authority_reference,
    )


@pytest.mark.parametrize(
    ("held", "typed"),
    [
        ("Mohammed Al-Sayed", "Muhammad Alsayed"),
        ("Mohamed Al-Sayed", "Muhammad Al Sayed"),
        ("Mohammed El-Sayed", "Mohammad al-sayed"),
        ("Zoë Martin", "Zoe Martin"),
        ("Katherine Jones", "Catherine Jones"),
        ("Aleksandr Ivanov", "Alexander Ivanov"),
        ("Youssef Haddad", "Yusuf Hadad"),
        ("Ibrahim Noori Khan", "Ebrahim Khan"),
        ("Sara Mohammed", "MOHAMMED Sara"),
    ],
)
def test_spelling_variants_and_transliterations_with_the_same_date_of_birth_are_found(
    officer, make_case, held, typed
):
    case = _existing(make_case, held)
    [match] = _matches(officer, typed)
    assert (match.reference, match.reasons) == (case.reference, (SAME_BIRTH_DATE_AND_NAME,))
    assert match.reason == "Same date of birth and a similar name"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's (pg_trgm)"
)
def test_on_postgresql_a_typing_slip_the_name_keys_miss_is_found_by_trigram_similarity(
    officer, make_case
):
    case = _existing(make_case, "Amina Haddad")
    [match] = _matches(officer, "Aminah Haddad")
    assert (match.reference, match.reasons) == (case.reference, (SAME_BIRTH_DATE_AND_NAME,))


def test_the_same_authority_reference_is_found_however_it_is_typed(officer, make_case):
    case = _existing(make_case, "Amina Haddad", authority_reference="AS 104233")
    [match] = _matches(
        officer, "Someone Else", born=date(1970, 1, 1), authority_reference="as104233"
    )
    assert (match.reference, match.reasons) == (case.reference, (SAME_AUTHORITY_REFERENCE,))


def test_the_same_postcode_with_a_similar_name_is_found_whatever_the_date_of_birth(
    officer, make_case
):
    case = _existing(make_case, "Katherine Jones")
    [match] = _matches(officer, "Catherine Jones", born=date(1991, 5, 12), postcode="b192th")
    assert (match.reference, match.reasons) == (case.reference, (SAME_POSTCODE_AND_NAME,))


def test_every_reason_a_case_matches_is_given_strongest_first(officer, make_case):
    weaker = _existing(make_case, "Yonas Tesfaye")
    stronger = _existing(make_case, "Mohammed Al-Sayed", authority_reference="DEMO-1")
    matches = _matches(
        officer, "Muhammad Alsayed", postcode="B19 2TH", authority_reference="demo-1"
    )
    assert [(match.reference, match.reasons) for match in matches] == [
        (stronger.reference, (SAME_AUTHORITY_REFERENCE, SAME_BIRTH_DATE_POSTCODE_AND_NAME)),
        (weaker.reference, (SAME_BIRTH_DATE_AND_POSTCODE,)),
    ]
    assert matches[0].reason == (
        "Same Authority reference, and same date of birth, postcode and a similar name"
    )


@pytest.mark.parametrize(
    ("typed", "born", "postcode"),
    [
        # The same date of birth, another person.
        ("Yonas Tesfaye", BORN, ""),
        ("Amira Haddad", BORN, ""),
        # A similar name, but neither the date of birth nor the postcode.
        ("Muhammad Alsayed", date(1985, 1, 3), "M8 8EP"),
        # The same postcode (a hotel holds many people), another person.
        ("Daniel Okafor", date(1985, 1, 3), "B19 2TH"),
    ],
)
def test_unrelated_people_are_not_matched(officer, make_case, typed, born, postcode):
    _existing(make_case, "Mohammed Al-Sayed")
    _existing(make_case, "Amina Haddad", date_of_birth=date(1960, 1, 1), postcode="M1 1AA")
    assert _matches(officer, typed, born=born, postcode=postcode) == []


def test_a_case_the_officer_cannot_see_is_named_by_reference_and_reason_only(
    officer, make_user, make_case
):
    other_officer = make_user(Role.SAFEGUARDING_OFFICER)
    theirs = _existing(
        make_case, "Mohammed Al-Sayed", actor=other_officer, officers=[other_officer]
    )
    mine = _existing(make_case, "Mohamed Alsayed")
    by_reference = {match.reference: match for match in _matches(officer, "Muhammad Al-Sayed")}
    assert not by_reference[theirs.reference].can_open
    assert by_reference[theirs.reference].pk is None
    assert by_reference[mine.reference].pk == mine.pk


def test_open_case_refuses_a_likely_duplicate_without_a_reason_at_the_field(officer, make_case):
    _existing(make_case, "Mohammed Al-Sayed")
    counter = CaseReferenceCounter.objects.get().last_number
    given_names, family_name = _split("Muhammad Alsayed")
    case = Case(**case_values(given_names=given_names, family_name=family_name, date_of_birth=BORN))
    for reason in ("", "  \n "):
        with pytest.raises(ValidationError) as refusal:
            services.open_case(case=case, officers=[officer], why_new_case=reason, actor=officer)
        assert refusal.value.message_dict == {
            "why_new_case": [
                "Enter why you are opening a new case when one may already exist for this person"
            ]
        }
    assert Case.objects.count() == 1
    assert CaseReferenceCounter.objects.get().last_number == counter


def _new_case_form(**overrides):
    return case_form_data(
        case_values(
            given_names="Muhammad",
            family_name="Alsayed",
            date_of_birth=BORN,
            postcode="B19 2TH",
            address="Hotel contingency site, Lozells Road",
        ),
        **overrides,
    )


def test_the_new_case_page_shows_the_likely_matches_and_asks_why_before_opening_another(
    officer_client, officer, make_user, make_case
):
    mine = _existing(make_case, "Mohammed Al-Sayed", address="31 Lozells Road")
    other_officer = make_user(Role.SAFEGUARDING_OFFICER)
    theirs = _existing(
        make_case,
        "Mohamed Al Sayed",
        address="9 Private Street",
        date_of_birth=date(1980, 1, 1),
        actor=other_officer,
        officers=[other_officer],
    )
    response = officer_client.post("/cases/new/", _new_case_form())
    page = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 2
    assert "There may already be a case for this person" in page
    assert f'href="/cases/{mine.pk}/"' in page
    assert "Same date of birth, postcode and a similar name" in page
    assert theirs.reference in page and "Same postcode and a similar name" in page
    # Of a case the officer may not see: its reference and why, nothing it holds.
    assert f"/cases/{theirs.pk}/" not in page and "9 Private Street" not in page
    assert "Not one of your cases" in page
    assert (
        '<a href="#id_why_new_case">Enter why you are opening a new case when one may already '
        "exist for this person</a>" in page
    )
    assert 'id="id_why_new_case-error"' in page


def test_a_new_case_opened_anyway_keeps_its_reason_on_the_case_and_is_audited(
    officer_client, make_case
):
    existing = _existing(make_case, "Mohammed Al-Sayed")
    reason = "A different man: his cousin, who lives at the same hotel."
    response = officer_client.post("/cases/new/", _new_case_form(why_new_case=reason))
    case = Case.objects.exclude(pk=existing.pk).get()
    assert response["Location"] == f"/cases/{case.pk}/"
    note = CaseNote.objects.get(case=case)
    assert reason in note.text and existing.reference in note.text
    event = AuditEvent.objects.get(verb=Verb.CREATED, object_id=str(case.pk))
    assert event.detail == {
        "likely_matches": [existing.reference],
        "why_new_case_note_id": note.pk,
    }
    # What was typed about a person stays on the case, which can be erased, not in the log.
    assert "cousin" not in str(event.detail)


def test_a_person_with_no_likely_match_is_opened_without_being_asked_why(officer_client, make_case):
    _existing(make_case, "Amina Haddad", date_of_birth=date(1960, 1, 1), postcode="M1 1AA")
    response = officer_client.post("/cases/new/", _new_case_form())
    assert response.status_code == 302
    event = AuditEvent.objects.filter(verb=Verb.CREATED, object_type="sharing.case").last()
    assert event.detail == {}


def test_the_new_case_page_checks_for_matches_in_a_fixed_number_of_queries(
    officer_client, officer, make_user, make_case, django_assert_max_num_queries
):
    other_officer = make_user(Role.SAFEGUARDING_OFFICER)
    for number in range(6):
        _existing(
            make_case,
            "Mohammed Al-Sayed",
            authority_reference=f"AS-{number}",
            **({"actor": other_officer, "officers": [other_officer]} if number % 2 else {}),
        )
    form = _new_case_form()
    # The page as refused (tests/sharing/test_case_create_form.py) and the matches' own reads.
    with django_assert_max_num_queries(26):
        response = officer_client.post("/cases/new/", form)
    assert response.content.decode().count("Same date of birth, postcode and a similar name") == 6


def test_the_matches_show_while_other_fields_still_need_correcting_without_asking_yet(
    officer_client, make_case
):
    existing = _existing(make_case, "Mohammed Al-Sayed")
    response = officer_client.post("/cases/new/", _new_case_form(risk_level=""))
    page = response.content.decode()
    assert existing.reference in page and "Choose a risk level" in page
    assert "Enter why you are opening a new case" not in page
    assert "This field is required" not in page
    assert Case.objects.count() == 1


def test_a_reason_its_field_refuses_is_refused_there_and_nothing_is_saved(
    officer_client, make_case
):
    _existing(make_case, "Mohammed Al-Sayed")
    response = officer_client.post("/cases/new/", _new_case_form(why_new_case="x" * 2001))
    page = response.content.decode()
    assert "Why open a new case? must be 2,000 characters or fewer (it has 2,001)" in page
    assert "Enter why you are opening a new case" not in page
    assert Case.objects.count() == 1
