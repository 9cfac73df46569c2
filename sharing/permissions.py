"""Who may see and change a case, see a disclosure and release case information: the one place
views, templates, exports and services ask.

Each access question is encoded once, as a queryset (`cases_visible_to`, `cases_changeable_by`,
`cases_releasable_by`, `disclosures_visible_to`); the yes/no check for one object is derived
from the same scope, so a list and a page can never disagree. Services call the `require_…`
functions, which raise the one shared refusal (`core.authority.NotPermitted`).

Officers see the cases assigned to them and those a manager gave them sight of; safeguarding
managers, the Authority and compliance reviewers see every case; partner-agency users see none
here (what was shared with their agency reaches them as disclosures). Being assigned to a case
counts only for someone whose role works on cases: an assignment never widens what a role
allows. A case a person may not see is a 404, never a 403.
"""

from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.http import Http404

from core.authority import require
from sharing.models import (
    Case,
    CaseUserObjectPermission,
    Disclosure,
    Escalation,
    Referral,
    ReferralStatus,
)

# Role-level rights -------------------------------------------------------------------------


def can_see_all_cases(user) -> bool:
    return user.has_perm("sharing.view_all_cases")


def can_work_on_cases(user) -> bool:
    """Officers and managers: they hold cases (a "my cases" list) and change them."""
    return user.has_perm("sharing.change_case")


def can_create_case(user) -> bool:
    return user.has_perm("sharing.add_case")


def is_partner(user) -> bool:
    """A partner-agency user: sees what was disclosed to their own agency, nothing else."""
    return user.has_perm("sharing.view_received_disclosure") and user.agency_id is not None


def can_give_sight(user) -> bool:
    """Managers decide who else in the team may read a case."""
    return can_see_all_cases(user) and can_work_on_cases(user)


def can_assign_officers(user) -> bool:
    """Managers assign any officer; an officer opening a case is assigned to it themselves."""
    return can_work_on_cases(user) and can_see_all_cases(user)


def can_decide_escalations(user) -> bool:
    """Safeguarding managers: they decide what happens to a case an officer escalates."""
    return user.has_perm("sharing.decide_escalation")


def can_decide_consent(user) -> bool:
    """The Authority grants, narrows, refuses and revokes; nobody else speaks for it."""
    return user.has_perm("sharing.grant_consent")


def can_see_disclosure_log(user) -> bool:
    return user.has_perm("sharing.view_disclosure") or is_partner(user)


def can_view_referrals_list(user) -> bool:
    return user.has_perm("sharing.change_referral") or can_see_all_cases(user)


def can_review_sharing(user) -> bool:
    """Those who review the team's sharing across every case: they see every case, consent and
    disclosure (compliance reviewers, and the Authority, whose consents these are)."""
    return (
        can_see_all_cases(user)
        and user.has_perm("sharing.view_consent")
        and user.has_perm("sharing.view_disclosure")
    )


# Which cases: one scope per question, read as a queryset or as a yes/no for one case ---------


@dataclass(frozen=True)
class _CaseScope:
    """Which cases a person reaches: every case, or those assigned to them and/or those a
    manager gave them sight of (a django-guardian grant on the case)."""

    every_case: bool = False
    assigned: bool = False
    given_sight: bool = False

    def queryset(self, user) -> QuerySet[Case]:
        if self.every_case:
            return Case.objects.all()
        reached = self._case_ids(user)
        return Case.objects.none() if reached is None else Case.objects.filter(pk__in=reached)

    def narrow(self, rows: QuerySet, user, *, case_field: str = "case") -> QuerySet:
        """Rows about cases in this scope. Left whole for a scope of every case: "about any
        case" joined every list and count to the whole case table. Otherwise matched against
        the case ids themselves: through the case table, PostgreSQL scanned all of it to
        join an officer's few hundred ids."""
        if self.every_case:
            return rows
        reached = self._case_ids(user)
        return rows.none() if reached is None else rows.filter(**{f"{case_field}__in": reached})

    def _case_ids(self, user) -> QuerySet | None:
        # One list of case ids (a UNION) rather than "in these OR in those": PostgreSQL reads
        # an OR of two subqueries by scanning every case, and a national table made each of
        # an officer's home-page counts a scan of 90,000 rows.
        reached = []
        if self.assigned:
            reached.append(_assignments(user).values_list("case_id"))
        if self.given_sight:
            reached.append(_sight_grants(user).values_list("content_object_id"))
        if not reached:
            return None
        return reached[0].union(*reached[1:])

    def includes(self, user, case: Case) -> bool:
        """The same answer as `queryset(user).filter(pk=case.pk).exists()`, using the case's
        prefetched officers when the page already loaded them."""
        if self.every_case:
            return True
        if self.assigned and _is_assigned(user, case):
            return True
        return self.given_sight and _sight_grants(user).filter(content_object_id=case.pk).exists()


_NO_CASE = _CaseScope()


def _assignments(user):
    return Case.assigned_officers.through.objects.filter(user_id=user.pk)


def _sight_grants(user):
    return CaseUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename="view_case"
    )


def _is_assigned(user, case: Case) -> bool:
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("assigned_officers")
    if prefetched is not None:
        return any(officer.pk == user.pk for officer in prefetched)
    return _assignments(user).filter(case_id=case.pk).exists()


def _is_someone(user) -> bool:
    return user.is_authenticated and user.is_active


def _receives_disclosures_only(user) -> bool:
    # A partner-agency user (whatever other role they hold) is reached by disclosures, never by
    # the cases themselves.
    return user.has_perm("sharing.view_received_disclosure") and not can_see_all_cases(user)


def _view_scope(user) -> _CaseScope:
    if not _is_someone(user) or _receives_disclosures_only(user):
        return _NO_CASE
    if can_see_all_cases(user):
        return _CaseScope(every_case=True)
    return _CaseScope(assigned=can_work_on_cases(user), given_sight=True)


def _change_scope(user) -> _CaseScope:
    # Within what the person sees: changing a case one may not read makes no sense.
    if not _is_someone(user) or _receives_disclosures_only(user) or not can_work_on_cases(user):
        return _NO_CASE
    if can_see_all_cases(user):
        return _CaseScope(every_case=True)
    return _CaseScope(assigned=True)


def _release_scope(user) -> _CaseScope:
    if not user.has_perm("sharing.add_disclosure"):
        return _NO_CASE
    return _change_scope(user)


def cases_visible_to(*, user) -> QuerySet[Case]:
    """Every case this person may see, as one query: no per-row permission check."""
    return _view_scope(user).queryset(user)


def about_visible_cases(rows: QuerySet, *, user) -> QuerySet:
    """Those of `rows` (each with a `case`) about a case this person may see."""
    return _view_scope(user).narrow(rows, user)


def cases_changeable_by(*, user) -> QuerySet[Case]:
    """The cases this person may change: a manager's are every case, an officer's those
    assigned to them. Sight given by a manager is for reading only."""
    return _change_scope(user).queryset(user)


def cases_releasable_by(*, user) -> QuerySet[Case]:
    """The cases about which this person may release information to an agency (through the
    consent gate, which then decides whether this release is covered)."""
    return _release_scope(user).queryset(user)


def cases_assigned_to(*, user) -> QuerySet[Case]:
    """A person's own cases: those assigned to them, among those they may change. "My cases" and
    an officer's queues (consents running out, referrals to chase) read this."""
    return cases_changeable_by(user=user).filter(pk__in=_assignments(user).values("case_id"))


def about_reviewed_cases(rows: QuerySet, *, user) -> QuerySet:
    """Those of `rows` (each with a `case`) about a case whose sharing this person reviews:
    every case for those who review sharing, none for anyone else. Left whole for them, as
    `about_visible_cases` leaves them: matched against every case, the compliance queues'
    counts joined the whole case table to the consents and releases they count."""
    if not _is_someone(user) or not can_review_sharing(user):
        return rows.none()
    return about_visible_cases(rows, user=user)


def can_view_case(user, case: Case) -> bool:
    return _view_scope(user).includes(user, case)


def can_change_case(user, case: Case) -> bool:
    return _change_scope(user).includes(user, case)


def can_release(user, case: Case) -> bool:
    return _release_scope(user).includes(user, case)


def can_escalate(user, case: Case) -> bool:
    return user.has_perm("sharing.add_escalation") and can_change_case(user, case)


def can_decide_escalations_on(user, case: Case) -> bool:
    return can_decide_escalations(user) and can_view_case(user, case)


def escalations_to_decide_by(*, user) -> QuerySet[Escalation]:
    """The escalations awaiting this person's decision: undecided, on cases they see, for those
    who decide escalations. The manager's queue and the decision page both ask this."""
    if not can_decide_escalations(user):
        return Escalation.objects.none()
    return about_visible_cases(Escalation.objects.filter(decision=""), user=user)


def can_decide_escalation(user, escalation: Escalation) -> bool:
    return escalations_to_decide_by(user=user).filter(pk=escalation.pk).exists()


def escalations_raised_by(*, user) -> QuerySet[Escalation]:
    """The escalations this person raised, decided or not, on cases they still see: the
    officer follows up what a manager decided."""
    if not user.has_perm("sharing.add_escalation"):
        return Escalation.objects.none()
    return about_visible_cases(Escalation.objects.filter(raised_by_id=user.pk), user=user)


def can_follow_escalations(user) -> bool:
    return user.has_perm("sharing.add_escalation")


def referrals_received_by(*, user) -> QuerySet[Referral]:
    """The referrals sent to a partner user's own agency: theirs to answer. A draft never left
    the team, so it is nobody's outside it."""
    if not _is_someone(user) or not is_partner(user):
        return Referral.objects.none()
    return Referral.objects.filter(agency_id=user.agency_id).exclude(status=ReferralStatus.DRAFT)


def referrals_answerable_by(*, user) -> QuerySet[Referral]:
    """The referrals a partner user may answer for their agency: received, and without an
    outcome yet (acknowledge first, then accept, decline or no further action)."""
    return referrals_received_by(user=user).filter(
        status__in=[ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED]
    )


def can_answer_referral(user, referral: Referral) -> bool:
    return referrals_answerable_by(user=user).filter(pk=referral.pk).exists()


def can_refer(user, case: Case) -> bool:
    return user.has_perm("sharing.add_referral") and can_change_case(user, case)


def can_change_referral(user, referral: Referral) -> bool:
    return user.has_perm("sharing.change_referral") and can_change_case(user, referral.case)


def can_record_marac_hearing(user, case: Case) -> bool:
    """Those who present a case at MARAC, and so may say it was heard: those who change it."""
    return can_change_case(user, case)


def can_request_consent(user, case: Case) -> bool:
    return user.has_perm("sharing.add_consentrequest") and can_change_case(user, case)


def can_record_written_consent(user, case: Case) -> bool:
    return user.has_perm("sharing.add_consentrequest") and can_change_case(user, case)


def can_decide_consent_for(user, case: Case) -> bool:
    return can_decide_consent(user) and can_view_case(user, case)


def can_give_sight_of(user, case: Case) -> bool:
    return can_give_sight(user) and can_view_case(user, case)


def can_hold_case(user, case: Case) -> bool:
    """Safeguarding managers place and lift legal holds: they answer for the team's records of
    a case, as they do for who may read it. Compliance reviewers stay read-only; they see the
    holds and their audit events."""
    return can_give_sight(user) and can_view_case(user, case)


def case_for_viewing(user, pk) -> Case:
    """The case, if this person may see it; otherwise 404, the same as a case that does not
    exist."""
    case = cases_visible_to(user=user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case


def case_for_changing(user, pk) -> Case:
    case = cases_changeable_by(user=user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case


# Which disclosures -----------------------------------------------------------------------


def _disclosure_scope(user):
    """Every disclosure (True), those to one agency (its id), or those of the cases the person
    sees (None)."""
    if not _is_someone(user):
        return None
    if can_see_all_cases(user) and user.has_perm("sharing.view_disclosure"):
        return True
    if is_partner(user):
        return user.agency_id
    return None


def disclosures_visible_to(*, user) -> QuerySet[Disclosure]:
    """Every disclosure this person may see: all of them for those who oversee sharing, those
    addressed to their own agency for a partner user, otherwise those of the cases they see."""
    scope = _disclosure_scope(user)
    if scope is True:
        return Disclosure.objects.all()
    if scope is not None:
        return Disclosure.objects.filter(recipient_id=scope)
    return about_visible_cases(Disclosure.objects.all(), user=user)


def can_view_disclosure(user, disclosure: Disclosure) -> bool:
    scope = _disclosure_scope(user)
    if scope is True:
        return True
    if scope is not None:
        return disclosure.recipient_id == scope
    return can_view_case(user, disclosure.case)


def may_see_disclosures_to(user, agency) -> bool:
    """Whether the agency page shows this person what was released to that agency: a partner
    user only for their own agency."""
    if not can_see_disclosure_log(user):
        return False
    scope = _disclosure_scope(user)
    return scope is True or scope is None or scope == agency.pk


# The refusals every write service raises ------------------------------------------------------


def require_open_case(actor, *, officers=()) -> None:
    require(can_create_case(actor), actor, "open a case")
    others = {officer.pk for officer in officers} - {actor.pk}
    require(not others or can_assign_officers(actor), actor, "assign officers to a case")


def require_change_case(actor, case: Case) -> None:
    require(can_change_case(actor, case), actor, "change a case")


def require_assign_officers(actor, case: Case) -> None:
    require_change_case(actor, case)
    require(can_assign_officers(actor), actor, "assign officers to a case")


def require_escalate(actor, case: Case) -> None:
    require(can_escalate(actor, case), actor, "escalate a case")


def require_decide_escalation(actor, escalation: Escalation) -> None:
    require(can_decide_escalations_on(actor, escalation.case), actor, "decide an escalation")


def require_refer(actor, case: Case) -> None:
    require(can_refer(actor, case), actor, "refer a case")


def require_answer_referral(actor, referral: Referral) -> None:
    require(can_answer_referral(actor, referral), actor, "answer a referral for another agency")


def require_change_referral(actor, referral: Referral) -> None:
    require(can_change_referral(actor, referral), actor, "change a referral")


def require_record_marac_hearing(actor, case: Case) -> None:
    require(can_record_marac_hearing(actor, case), actor, "record that a case was heard at MARAC")


def require_give_sight(actor, case: Case) -> None:
    require(can_give_sight_of(actor, case), actor, "give or withdraw sight of a case")


def require_hold_case(actor, case: Case) -> None:
    require(can_hold_case(actor, case), actor, "place or lift a legal hold on a case")


def require_release(actor, case: Case) -> None:
    require(can_release(actor, case), actor, "release case information to an agency")


def require_request_consent(actor, case: Case) -> None:
    require(can_request_consent(actor, case), actor, "ask the Authority for consent")


def require_record_written_consent(actor, case: Case) -> None:
    require(
        can_record_written_consent(actor, case), actor, "record the Authority's written consent"
    )


def require_decide_consent(actor, case: Case) -> None:
    require(can_decide_consent_for(actor, case), actor, "decide consent for the Authority")


# Who is told -------------------------------------------------------------------------------


def _active_holders_of(permission: str):
    return ModelBackend().with_perm(permission, is_active=True, include_superusers=False)


def people_who_decide_consent_for(case: Case) -> list:
    """The Authority's people who would see a request on this case in their queue."""
    return [
        person
        for person in _active_holders_of("sharing.grant_consent")
        if can_decide_consent_for(person, case)
    ]


def people_who_decide_escalations_on(case: Case) -> list:
    return [
        person
        for person in _active_holders_of("sharing.decide_escalation")
        if can_decide_escalations_on(person, case)
    ]


def people_who_answer_referrals_for(agency) -> list:
    """The agency's own Partnerhub users who would find a referral to it in their queue: told
    when one arrives, or when what it released is withdrawn or corrected."""
    return [
        person
        for person in _active_holders_of("sharing.view_received_disclosure").filter(
            agency_id=agency.pk
        )
        if is_partner(person)
    ]
