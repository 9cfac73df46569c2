"""Who may see and change a case, its indicators, escalations and referrals: the one place views,
templates and exports ask.

Officers see the cases assigned to them; safeguarding managers, the Authority and compliance
reviewers see every case; partner-agency users see none here (what was shared with their agency
reaches them as disclosures). A case a person may not see is a 404, never a 403.
"""

from django.http import Http404

from sharing.models import Case, Escalation, Referral


def can_see_all_cases(user) -> bool:
    return user.has_perm("sharing.view_all_cases")


def can_work_on_cases(user) -> bool:
    """Officers and managers: they hold cases (a "my cases" list) and change them."""
    return user.has_perm("sharing.change_case")


def can_create_case(user) -> bool:
    return user.has_perm("sharing.add_case")


def is_assigned(user, case: Case) -> bool:
    # Uses the prefetched officers when the page already loaded them, so no extra query.
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("assigned_officers")
    if prefetched is not None:
        return any(officer.pk == user.pk for officer in prefetched)
    return case.assigned_officers.filter(pk=user.pk).exists()


def can_view_case(user, case: Case) -> bool:
    if can_see_all_cases(user):
        return True
    if can_work_on_cases(user) and is_assigned(user, case):
        return True
    # A colleague a manager gave sight of this case: a django-guardian grant on the object.
    return not is_partner(user) and user.has_perm("sharing.view_case", case)


def can_give_sight(user) -> bool:
    """Managers decide who else in the team may read a case."""
    return can_see_all_cases(user) and can_work_on_cases(user)


def can_change_case(user, case: Case) -> bool:
    if not can_work_on_cases(user):
        return False
    return can_see_all_cases(user) or is_assigned(user, case)


def can_assign_officers(user) -> bool:
    """Managers assign any officer; an officer opening a case is assigned to it themselves."""
    return can_work_on_cases(user) and can_see_all_cases(user)


def can_escalate(user, case: Case) -> bool:
    return user.has_perm("sharing.add_escalation") and can_change_case(user, case)


def can_decide_escalation(user, escalation: Escalation) -> bool:
    return (
        user.has_perm("sharing.decide_escalation")
        and not escalation.is_decided
        and can_view_case(user, escalation.case)
    )


def can_refer(user, case: Case) -> bool:
    return user.has_perm("sharing.add_referral") and can_change_case(user, case)


def can_change_referral(user, referral: Referral) -> bool:
    return user.has_perm("sharing.change_referral") and can_change_case(user, referral.case)


def can_view_referrals_list(user) -> bool:
    return user.has_perm("sharing.change_referral") or can_see_all_cases(user)


def case_for_viewing(user, pk) -> Case:
    """The case, if this person may see it; otherwise 404, the same as a case that does not
    exist."""
    from sharing.selectors import cases_visible_to

    case = cases_visible_to(user=user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case


def case_for_changing(user, pk) -> Case:
    case = case_for_viewing(user, pk)
    if not can_change_case(user, case):
        raise Http404("No such case")
    return case


def can_request_consent(user, case: Case) -> bool:
    return user.has_perm("sharing.add_consentrequest") and can_change_case(user, case)


def can_record_written_consent(user, case: Case) -> bool:
    return user.has_perm("sharing.add_consentrequest") and can_change_case(user, case)


def can_decide_consent(user) -> bool:
    """The Authority grants, narrows, refuses and revokes; nobody else speaks for it."""
    return user.has_perm("sharing.grant_consent")


def can_disclose(user, case: Case) -> bool:
    return user.has_perm("sharing.add_disclosure") and can_change_case(user, case)


def can_see_disclosure_log(user) -> bool:
    return user.has_perm("sharing.view_disclosure") or is_partner(user)


def is_partner(user) -> bool:
    """A partner-agency user: sees what was disclosed to their own agency, nothing else."""
    return user.has_perm("sharing.view_received_disclosure") and user.agency_id is not None


def can_view_disclosure(user, disclosure) -> bool:
    if can_see_all_cases(user) and user.has_perm("sharing.view_disclosure"):
        return True
    if is_partner(user):
        return disclosure.recipient_id == user.agency_id
    return can_view_case(user, disclosure.case)
