"""Cases that may already be open for the person about to get a new one, and why each may be
theirs. Whoever opens a case learns that such a case exists, so that the person does not get a
second one, but reads nothing of a case they may not see: its reference and the reason only."""

from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Concat, Lower, Replace, Upper

from sharing.models import Case
from sharing.names import name_keys, similar_names
from sharing.permissions import cases_visible_to

# Trigram similarity, from 0 to 1, above which PostgreSQL counts two names as alike: typing
# slips the name keys do not fold ("Aminah Haddad" and "Amina Haddad" score 0.8).
SIMILAR_NAME_TRIGRAMS = 0.5

SAME_AUTHORITY_REFERENCE = "same Authority reference"
SAME_BIRTH_DATE_AND_NAME = "same date of birth and a similar name"
SAME_POSTCODE_AND_NAME = "same postcode and a similar name"
SAME_BIRTH_DATE_POSTCODE_AND_NAME = "same date of birth, postcode and a similar name"
SAME_BIRTH_DATE_AND_POSTCODE = "same date of birth and postcode"

# Why a case matches, by (similar name, same date of birth, same postcode): a similar name with
# either; without a similar name, both.
_REASONS = {
    (True, True, True): SAME_BIRTH_DATE_POSTCODE_AND_NAME,
    (True, True, False): SAME_BIRTH_DATE_AND_NAME,
    (True, False, True): SAME_POSTCODE_AND_NAME,
    (False, True, True): SAME_BIRTH_DATE_AND_POSTCODE,
}


@dataclass(frozen=True)
class LikelyMatch:
    """A case that may be the same person's. `pk` is set only when the person looking may open
    the case; otherwise they learn its reference and why it matched, nothing more."""

    reference: str
    reasons: tuple[str, ...]
    pk: int | None

    @property
    def can_open(self) -> bool:
        return self.pk is not None

    @property
    def reason(self) -> str:
        """The reasons as one sentence: "Same Authority reference, and same postcode and a
        similar name"."""
        sentence = ", and ".join(self.reasons)
        return sentence[:1].upper() + sentence[1:]


def _compact(field: str):
    """Upper case without spaces, so "m8 8ep" is "M88EP" and a reference typed with spaces
    is the same reference."""
    return Upper(Replace(F(field), Value(" "), Value("")))


def _compacted(text: str) -> str:
    return text.replace(" ", "").upper()


def _name_similarity(given_names: str, family_name: str):
    def plain(expression):
        return Func(Lower(Replace(expression, Value("-"), Value(" "))), function="unaccent")

    return TrigramSimilarity(
        plain(Concat(F("given_names"), Value(" "), F("family_name"))),
        plain(Value(f"{given_names} {family_name}")),
    )


def likely_matches(
    *,
    user,
    given_names: str,
    family_name: str,
    date_of_birth: date | None,
    authority_reference: str = "",
    postcode: str = "",
) -> list[LikelyMatch]:
    """Every case, open or closed, with the same Authority reference, or a similar name and the
    same date of birth or postcode, or the same date of birth and postcode; strongest first.

    One query, whatever the number of cases: the candidates share a date of birth, postcode or
    reference, and their names are compared here (on PostgreSQL also by trigram similarity).
    """
    postcode, authority_reference = _compacted(postcode), _compacted(authority_reference)
    sharing_a_detail = Q(pk__in=[])
    if date_of_birth is not None:
        sharing_a_detail |= Q(date_of_birth=date_of_birth)
    if postcode:
        sharing_a_detail |= Q(compact_postcode=postcode)
    if authority_reference:
        sharing_a_detail |= Q(compact_authority_reference=authority_reference)
    candidates = Case.objects.annotate(
        compact_postcode=_compact("postcode"),
        compact_authority_reference=_compact("authority_reference"),
        can_open=Exists(cases_visible_to(user=user).filter(pk=OuterRef("pk"))),
    )
    if connection.vendor == "postgresql":
        candidates = candidates.annotate(name_similarity=_name_similarity(given_names, family_name))
    candidates = (
        candidates.filter(sharing_a_detail)
        .only("reference", "given_names", "family_name", "date_of_birth")
        .order_by("-created_at", "-pk")
    )
    typed = name_keys(given_names, family_name)
    matches = []
    for case in candidates:
        similar_name = similar_names(typed, name_keys(case.given_names, case.family_name)) or (
            getattr(case, "name_similarity", 0) >= SIMILAR_NAME_TRIGRAMS
        )
        same_birth_date = date_of_birth is not None and case.date_of_birth == date_of_birth
        same_postcode = bool(postcode) and case.compact_postcode == postcode
        reasons = []
        if authority_reference and case.compact_authority_reference == authority_reference:
            reasons.append(SAME_AUTHORITY_REFERENCE)
        if (similar_name, same_birth_date, same_postcode) in _REASONS:
            reasons.append(_REASONS[similar_name, same_birth_date, same_postcode])
        if reasons:
            matches.append(
                LikelyMatch(
                    reference=case.reference,
                    reasons=tuple(reasons),
                    pk=case.pk if case.can_open else None,
                )
            )
    # Stable: among as many reasons, the newest case first, as the query ordered them.
    matches.sort(key=lambda match: len(match.reasons), reverse=True)
    return matches
