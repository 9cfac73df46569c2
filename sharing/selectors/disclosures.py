"""Reads for disclosures: the log each person may see, who received what about a case, and the
disclosures released from a given record (`disclose()`'s `source`), so other apps never decode
how a disclosure names its source."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, Exists, Max, OuterRef, QuerySet
from django.db.models.functions import Cast

from agencies.models import Agency
from sharing import permissions
from sharing.models import CorrectionNotice, Disclosure

# Who decided is fetched in a short query of its own rather than joined in: the time
# PostgreSQL takes to choose an order for the joins about triples with each join past the
# third, and six joins took it up to 16 ms to plan, against a millisecond to run
# (docs/performance.md). The pages name the consent by its number, which is on the row.
_DISCLOSURE_JOINED = ("recipient", "recipient_contact", "disclosed_by")
_DISCLOSURE_FETCHED = ("decided_by",)


def _with_details(disclosures: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    return disclosures.select_related(*_DISCLOSURE_JOINED).prefetch_related(*_DISCLOSURE_FETCHED)


def disclosures_with_details() -> QuerySet[Disclosure]:
    return _with_details(Disclosure.objects.select_related("case"))


def disclosures_visible_to(*, user) -> QuerySet[Disclosure]:
    return _with_details(permissions.disclosures_visible_to(user=user).select_related("case"))


def disclosures_of(*, case) -> QuerySet[Disclosure]:
    """A loaded case's disclosures, through the case's own manager: each knows its case without
    the case's row being read again for every one of them."""
    return _with_details(case.disclosures.all())


def recipients_of(*, case) -> QuerySet[Agency]:
    """Every agency that has received information about the case, with when it last did."""
    return (
        Agency.objects.filter(disclosures_received__case=case)
        .annotate(last_received=Max("disclosures_received__disclosed_at"))
        .order_by("name")
    )


def correction_notices_of(*, case) -> QuerySet[CorrectionNotice]:
    return CorrectionNotice.objects.filter(case=case).select_related("recipient", "recorded_by")


def correction_notices_to(*, case, agency) -> QuerySet[CorrectionNotice]:
    """The corrections an agency was told of about a case: what its people see beside what
    they received."""
    return CorrectionNotice.objects.filter(case=case, recipient=agency).order_by("-told_on", "-pk")


def released_text(disclosure: Disclosure) -> str | None:
    """Exactly what was released, or None once retention has erased it (the digest stays)."""
    try:
        return disclosure.content.text
    except ObjectDoesNotExist:
        return None


def disclosures_from(model, pks) -> QuerySet[Disclosure]:
    """The disclosures released from these records of `model` (by primary key)."""
    return Disclosure.objects.filter(
        source_type=Disclosure.source_type_of(model), source_id__in=[str(pk) for pk in pks]
    )


def recipients_by_source(model, pks) -> dict[int, set[int]]:
    """For each of these records of `model`, the agencies (by id) it was released to: every
    record given is a key, with an empty set if it reached nobody. One query."""
    given = {pk: set() for pk in pks}
    for source_id, recipient_id in disclosures_from(model, given).values_list(
        "source_id", "recipient_id"
    ):
        given[int(source_id)].add(recipient_id)
    return given


def released_to_agency(model, *, agency_id) -> Exists:
    """Whether the outer query's row, a record of `model`, was released to this agency: for
    filtering that model's rows in one query."""
    return Exists(
        Disclosure.objects.filter(
            source_type=Disclosure.source_type_of(model),
            source_id=Cast(OuterRef("pk"), CharField()),
            recipient_id=agency_id,
        )
    )


def source_of(disclosure: Disclosure, model):
    """The record of `model` this disclosure was released from."""
    if disclosure.source_type != Disclosure.source_type_of(model):
        raise model.DoesNotExist(f"Disclosure {disclosure.pk} was not released from a {model}")
    return model.objects.get(pk=disclosure.source_id)
