"""Case, indicator, escalation and referral pages. Each parses, authorises, calls a service and
renders; the rules live in sharing.services and sharing.permissions."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.services import client_ip, filters_on_record, record_view
from core.forms import parse_id, shown_unjudged
from core.pagination import filter_and_paginate, paginate
from core.templatetags.govuk import govuk_error_summary
from sharing import permissions, selectors, services
from sharing.consent_links import consent_request_url
from sharing.filters import CaseFilter, EscalationFilter, OverdueReferralFilter
from sharing.forms import (
    CaseCloseForm,
    CaseForm,
    CaseIndicatorForm,
    CaseNoteForm,
    CaseSightForm,
    DocumentSentForm,
    EndIndicatorForm,
    EscalationDecisionForm,
    EscalationForm,
    HouseholdFormSet,
    NewCaseIndicatorsForm,
    ReferralForm,
    ReferralSendForm,
    ReferralStatusForm,
    ReferralWithdrawForm,
    WhyNewCaseForm,
    check_household,
    check_indicators,
)
from sharing.models import (
    Case,
    CaseIndicator,
    DataCategory,
    Escalation,
    Purpose,
    Referral,
    ReferralStatus,
)
from sharing.services.retention import current_legal_hold
from sharing.views.access import case_or_404, posted, refuse_sight

CASES_PER_PAGE = 50


def _case_list(request, cases, *, title, show_officer):
    case_filter = CaseFilter(request.GET, queryset=cases, show_officer=show_officer)
    # A value no filter accepts lists nothing, with the error at the field, as the directory
    # does: showing every case would look like the filter had been applied.
    filtered = case_filter.qs if case_filter.is_valid() else cases.none()
    page, pagination = paginate(selectors.with_list_details(filtered), request.GET, CASES_PER_PAGE)
    record_view(
        request,
        object_type="sharing.case",
        detail={"list": title, "filters": filters_on_record(case_filter, free_text=("q",))},
    )
    return render(
        request,
        "sharing/case_list.html",
        {
            "title": title,
            "filter": case_filter,
            "page": page,
            "pagination": pagination,
            "can_create": permissions.can_create_case(request.user),
        },
    )


def case_list(request):
    if not permissions.can_see_all_cases(request.user):
        raise PermissionDenied
    return _case_list(
        request,
        permissions.cases_visible_to(user=request.user),
        title="All cases",
        show_officer=True,
    )


def case_mine(request):
    if not permissions.can_work_on_cases(request.user):
        raise PermissionDenied
    return _case_list(
        request,
        permissions.cases_visible_to(user=request.user).filter(assigned_officers=request.user),
        title="My cases",
        show_officer=False,
    )


def case_detail(request, pk):
    case = selectors.case_for_page(user=request.user, pk=pk)
    if case is None:
        raise refuse_sight(request, Case, pk)
    record_view(request, target=case)
    user = request.user
    consent = selectors.consent_overview(case=case)
    can_change = permissions.can_change_case(user, case)
    referrals = list(selectors.referrals_for_page(case=case)[: selectors.CASE_PAGE_REFERRALS])
    _show_consent_of_drafts(case, consent["consents"], referrals)
    timeline = sorted(
        [*selectors.case_timeline(case=case), *selectors.consent_timeline(consent)],
        key=lambda entry: entry.at,
        reverse=True,
    )
    return render(
        request,
        "sharing/case_detail.html",
        {
            "case": case,
            "referrals": referrals,
            "referral_count": selectors.referrals_for_page(case=case).count(),
            "timeline": timeline[: selectors.CASE_PAGE_LATEST],
            "timeline_is_cut": len(timeline) > selectors.CASE_PAGE_LATEST,
            "can_change": can_change,
            "can_escalate": permissions.can_escalate(user, case),
            "can_refer": permissions.can_refer(user, case),
            "can_decide": permissions.can_decide_escalations(user),
            "can_update_referrals": can_change and user.has_perm("sharing.change_referral"),
            "consent": consent,
            "can_give_sight": permissions.can_give_sight(user),
            "can_see_disclosure_log": permissions.can_see_disclosure_log(user),
            "can_hold": permissions.can_hold_case(user, case),
            "legal_hold": current_legal_hold(case),
            "consent_actions": {
                "can_disclose": permissions.can_release(user, case),
                "can_request": permissions.can_request_consent(user, case),
                "can_revoke": permissions.can_decide_consent(user),
            },
        },
    )


def case_referrals(request, pk):
    """Every referral about the case, a page at a time, with the same rows and actions as the
    case page, which lists only the latest."""
    case = case_or_404(request, pk)
    record_view(request, target=case, detail={"page": "referrals"})
    user = request.user
    page, pagination = paginate(selectors.referrals_for_page(case=case), request.GET, 50)
    _show_consent_of_drafts(case, selectors.consent_overview(case=case)["consents"], page)
    can_change = permissions.can_change_case(user, case)
    return render(
        request,
        "sharing/case_referrals.html",
        {
            "case": case,
            "referrals": page,
            "page": page,
            "pagination": pagination,
            "can_update_referrals": can_change and user.has_perm("sharing.change_referral"),
            "consent_actions": {"can_request": permissions.can_request_consent(user, case)},
        },
    )


def _show_consent_of_drafts(case, consents, referrals) -> None:
    """Each draft referral says, before anyone opens it, whether consent covers sending it,
    and where to ask for it when not: worked out from the consents the page already holds."""
    for referral in referrals:
        if referral.status != ReferralStatus.DRAFT:
            continue
        cover = services.referral_consent_cover(
            case=case, agency=referral.agency, kind=referral.kind, consents=consents
        )
        referral.consent_status = {
            "cover": cover,
            "request_url": _consent_request_url_for(referral, cover),
        }


def _consent_request_url_for(referral, cover) -> str:
    """The consent request a draft referral needs: its agency, the purpose its kind serves and
    the categories no consent covers yet, with the draft's reason read by the request page."""
    return consent_request_url(
        referral.case,
        referral.agency,
        selectors.purpose_of_referral(referral.kind.code),
        cover.missing or selectors.DEFAULT_REFERRAL_CATEGORIES,
        referral=referral,
    )


def _case_form_page(request, form, household, *, indicators=None, case=None, matching=None):
    return render(
        request,
        "sharing/case_form.html",
        {
            "form": form,
            "household": household,
            "indicators": indicators,
            "case": case,
            "matching": matching,
            "error_entries": govuk_error_summary(
                form, *household.forms, indicators, matching and matching["form"]
            )["entries"],
        },
    )


def _likely_matches_of(request, form) -> list:
    """The cases that may be this person's, once the form has their name and date of birth or
    the Authority's reference, even while other fields still need correcting."""
    details = getattr(form, "cleaned_data", {})
    named = all(details.get(name) for name in ("given_names", "family_name", "date_of_birth"))
    if not (named or details.get("authority_reference")):
        return []
    return selectors.likely_matches(
        user=request.user,
        given_names=details.get("given_names", ""),
        family_name=details.get("family_name", ""),
        date_of_birth=details.get("date_of_birth"),
        authority_reference=details.get("authority_reference", ""),
        postcode=details.get("postcode", ""),
    )


def _valid(form, household, indicators=None) -> bool:
    # All are validated, so every error on the page shows at once.
    valid = all(
        [form.is_valid(), household.is_valid(), indicators is None or indicators.is_valid()]
    )
    valid = check_household(form, household) and valid
    if indicators is not None and indicators.is_valid():
        valid = check_indicators(form, indicators) and valid
    return valid


_HOUSEHOLD = HouseholdFormSet.get_default_prefix()
_HOUSEHOLD_ROW = re.compile(rf"^{_HOUSEHOLD}-(\d+)-(.+)$")


def _household_rearranged(data):
    """The form as typed with a blank household row added ("Add another member") or a row not
    yet saved taken away (its "Remove" button), or None when the form was sent to be saved.
    The buttons work without JavaScript, so the page is sent back with everything kept."""
    if data is None:
        return None
    total = parse_id(data.get(f"{_HOUSEHOLD}-TOTAL_FORMS", "")) or 0
    saved = parse_id(data.get(f"{_HOUSEHOLD}-INITIAL_FORMS", "")) or 0
    removed = parse_id(data.get("remove_member", ""))
    if data.get("action") == "add_member":
        rearranged = data.copy()
        rearranged[f"{_HOUSEHOLD}-TOTAL_FORMS"] = str(min(total + 1, HouseholdFormSet.max_num))
        return rearranged
    if removed is None:
        return None
    rearranged = data.copy()
    if saved < removed <= total:
        gone = removed - 1
        for key in data:
            if (row := _HOUSEHOLD_ROW.match(key)) and int(row[1]) >= gone:
                del rearranged[key]
                if int(row[1]) > gone:
                    rearranged.setlist(
                        f"{_HOUSEHOLD}-{int(row[1]) - 1}-{row[2]}", data.getlist(key)
                    )
        rearranged[f"{_HOUSEHOLD}-TOTAL_FORMS"] = str(total - 1)
    return rearranged


def case_create(request):
    if not permissions.can_create_case(request.user):
        raise PermissionDenied
    can_assign = permissions.can_assign_officers(request.user)
    rearranged = _household_rearranged(posted(request))
    data = posted(request) if rearranged is None else rearranged
    form = CaseForm(data, can_assign=can_assign)
    household = HouseholdFormSet(data, instance=form.instance)
    indicators = NewCaseIndicatorsForm(data)
    why_new_case = WhyNewCaseForm(data)
    if rearranged is not None:
        shown_unjudged(form, household, indicators, why_new_case)
    elif request.method == "POST" and _valid(form, household, indicators):
        case = form.save(commit=False)
        officers = form.cleaned_data["assigned_officers"] if can_assign else [request.user]
        # A reason refused by its field (too long, say) is no reason; it is needed only if there
        # is a likely match, and then its field's own error is the one to show.
        reason = why_new_case.cleaned_data["why_new_case"] if why_new_case.is_valid() else ""
        try:
            services.open_case(
                case=case,
                officers=officers,
                household=household.save(commit=False),
                indicators=indicators.case_indicators(case),
                why_new_case=reason,
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ValidationError as refusal:
            if "why_new_case" not in getattr(refusal, "error_dict", {}):
                form.add_error(None, refusal.messages)
            elif not why_new_case.has_error("why_new_case"):
                why_new_case.add_error(None, refusal)
        else:
            messages.success(request, f"Case {case.reference} opened")
            return redirect("sharing:case-detail", pk=case.pk)
    matching = None
    matches = _likely_matches_of(request, form) if request.method == "POST" else []
    if matches:
        why_new_case.ask()
        matching = {"matches": matches, "form": why_new_case}
    return _case_form_page(request, form, household, indicators=indicators, matching=matching)


def case_update(request, pk):
    case = case_or_404(request, pk, change=True)
    can_assign = permissions.can_assign_officers(request.user)
    rearranged = _household_rearranged(posted(request))
    data = posted(request) if rearranged is None else rearranged
    form = CaseForm(data, instance=case, can_assign=can_assign)
    household = HouseholdFormSet(data, instance=case)
    if rearranged is not None:
        shown_unjudged(form, household)
    elif request.method == "POST" and _valid(form, household):
        saved = household.save(commit=False)
        corrected = [name for name in form.changed_data if name != "assigned_officers"]
        services.update_case(
            case=form.save(commit=False),
            changed_fields=corrected,
            officers=form.cleaned_data["assigned_officers"] if can_assign else None,
            household_saved=saved,
            household_removed=household.deleted_objects,
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"Case {case.reference} updated")
        if (corrected or household.has_changed()) and case.disclosures.exists():
            # Recipients of the earlier facts must be told of a correction (UK GDPR Art. 19).
            query = urlencode({"field": corrected or ["household_members"]}, doseq=True)
            return redirect(reverse("sharing:case-corrections", args=[case.pk]) + "?" + query)
        return redirect("sharing:case-detail", pk=case.pk)
    record_view(request, target=case, detail={"page": "edit"})
    return _case_form_page(request, form, household, case=case)


def _form_page(request, form, case, *, template="sharing/case_form_page.html", **context):
    return render(request, template, {"form": form, "case": case, **context})


def case_close(request, pk):
    case = case_or_404(request, pk, change=True)
    if not case.is_open:
        return redirect("sharing:case-detail", pk=case.pk)
    form = CaseCloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.close_case(
            case=case,
            reason=form.cleaned_data["closure_reason"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"Case {case.reference} closed")
        return redirect("sharing:case-detail", pk=case.pk)
    return _form_page(request, form, case)


@require_POST
def case_reopen(request, pk):
    case = case_or_404(request, pk, change=True)
    services.reopen_case(case=case, actor=request.user, ip_address=client_ip(request))
    messages.success(request, f"Case {case.reference} reopened")
    return redirect("sharing:case-detail", pk=case.pk)


def case_note_create(request, pk):
    case = case_or_404(request, pk, change=True)
    form = CaseNoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.add_case_note(
            case=case,
            text=form.cleaned_data["text"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, "Note added")
        return redirect("sharing:case-detail", pk=case.pk)
    return _form_page(request, form, case)


def case_indicator_create(request, pk):
    case = case_or_404(request, pk, change=True)
    form = CaseIndicatorForm(posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        added = services.add_indicator(
            case=case,
            indicator=form.cleaned_data["indicator"],
            identified_on=form.cleaned_data["identified_on"],
            notes=form.cleaned_data["notes"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"{added.indicator.name} added")
        return redirect("sharing:case-detail", pk=case.pk)
    return _form_page(request, form, case)


def case_indicator_end(request, pk, indicator_pk):
    case = case_or_404(request, pk, change=True)
    case_indicator = get_object_or_404(
        CaseIndicator.objects.select_related("indicator"),
        pk=indicator_pk,
        case=case,
        ended_on__isnull=True,
    )
    form = EndIndicatorForm(posted(request), case_indicator=case_indicator)
    if request.method == "POST" and form.is_valid():
        services.end_indicator(
            case_indicator=case_indicator,
            ended_on=form.cleaned_data["ended_on"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"{case_indicator.indicator.name} recorded as ended")
        return redirect("sharing:case-detail", pk=case.pk)
    return _form_page(request, form, case, subject=case_indicator.indicator.name)


def escalation_create(request, pk):
    case = case_or_404(request, pk, change=True)
    if not permissions.can_escalate(request.user, case):
        raise Http404
    form = EscalationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.escalate_case(
            case=case,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"Case {case.reference} escalated to a manager")
        return redirect("sharing:case-detail", pk=case.pk)
    return _form_page(request, form, case)


def escalation_decide(request, pk):
    escalation = get_object_or_404(Escalation.objects.select_related("raised_by"), pk=pk)
    case = case_or_404(request, escalation.case_id)
    escalation.case = case
    if not permissions.can_decide_escalation(request.user, escalation):
        raise Http404
    form = EscalationDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_escalation(
                escalation=escalation,
                decision=form.cleaned_data["decision"],
                notes=form.cleaned_data["decision_notes"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except services.EscalationAlreadyDecided as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Decision recorded")
        return redirect("sharing:case-detail", pk=case.pk)
    return _form_page(
        request, form, case, template="sharing/escalation_decide.html", escalation=escalation
    )


# Buttons on the referral page that change what it offers (every agency, the chosen agency's
# contacts, what consent covers) and save nothing: the page comes back as it was typed.
RESHOW_ACTIONS = frozenset({"reshow", "all_agencies"})


def _referral_consent_status(agency, kind, cover) -> dict:
    labels = dict(DataCategory.choices)
    return {
        "cover": cover,
        "agency": agency,
        "purpose": Purpose(selectors.purpose_of_referral(kind.code)).label,
        "covered": [labels[category] for category in cover.covered],
        "missing": [labels[category] for category in cover.missing],
    }


def referral_create(request, pk):
    case = case_or_404(request, pk, change=True)
    if not permissions.can_refer(request.user, case):
        raise Http404
    action = request.POST.get("action", "")
    all_agencies = action == "all_agencies" or request.POST.get("agencies") == "all"
    form = ReferralForm(posted(request), case=case, all_agencies=all_agencies)
    if action in RESHOW_ACTIONS:
        shown_unjudged(form)
    elif request.method == "POST" and form.is_valid():
        referral = services.create_referral(
            referral=form.save(commit=False),
            indicators=form.cleaned_data["indicators"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        return _after_draft(request, referral, action)
    agency, kind = form.chosen_agency, form.chosen_kind
    consent_status = None
    if agency is not None and kind is not None:
        cover = services.referral_consent_cover(case=case, agency=agency, kind=kind)
        consent_status = _referral_consent_status(agency, kind, cover)
    return _form_page(
        request,
        form,
        case,
        template="sharing/referral_form.html",
        all_agencies=all_agencies,
        consent_status=consent_status,
    )


def _after_draft(request, referral, action):
    """Where the officer goes once the draft is saved: on to send it, to ask the Authority
    for the consent it lacks, or back to the case."""
    case = referral.case
    if action == "send":
        return redirect("sharing:referral-send", pk=referral.pk)
    if action == "request_consent":
        cover = services.referral_consent_cover(
            case=case, agency=referral.agency, kind=referral.kind
        )
        messages.success(
            request,
            f"Draft referral to {referral.agency} saved. Ask the Authority for consent; "
            "you can send the referral once it is given",
        )
        return redirect(_consent_request_url_for(referral, cover))
    messages.success(request, f"Draft referral to {referral.agency} saved")
    return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#referrals")


def _referral_or_404(request, pk) -> Referral:
    referral = Referral.objects.select_related("agency", "kind", "contact").filter(pk=pk).first()
    if referral is None:
        raise refuse_sight(request, Referral, pk)
    referral.case = case_or_404(request, referral.case_id)
    if not permissions.can_change_referral(request.user, referral):
        raise refuse_sight(request, Referral, pk)
    return referral


def referral_send(request, pk):
    referral = _referral_or_404(request, pk)
    case = referral.case
    options = services.route_options(referral)
    form = ReferralSendForm(posted(request), referral=referral, options=options)
    if request.method == "POST" and request.POST.get("action") == "compose":
        form = ReferralSendForm(
            referral=referral, options=options, initial=form.recomposed_initial()
        )
    refusal = consent_refusal = None
    try:
        services.check_referral_can_be_sent(referral)
    except services.TransitionRefused as error:
        refusal = error.messages[0]
    if refusal is None and form.is_bound and form.is_valid():
        try:
            services.send_referral(
                referral=referral,
                actor=request.user,
                note=form.cleaned_data["note"],
                ip_address=client_ip(request),
                **form.release(request.user),
            )
        except services.TransitionRefused as error:
            refusal = error.messages[0]
        except services.DeliveryFailed as failure:
            refusal = f"{failure}. Nothing was released."
        except services.DisclosureRefused as caught:
            consent_refusal = caught
            consent_refusal.request_url = consent_request_url(
                case, referral.agency, form.cleaned_data["purpose"], form.cleaned_data["categories"]
            )
        else:
            messages.success(request, f"Referral sent to {referral.agency}")
            return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#referrals")
    record_view(request, target=referral, detail={"page": "send", "case_id": case.pk})
    return _form_page(
        request,
        form,
        case,
        template="sharing/referral_send.html",
        referral=referral,
        refusal=refusal,
        consent_refusal=consent_refusal,
        unavailable_routes=[option for option in options if not option.available],
        consent_request_url=consent_request_url(
            case,
            referral.agency,
            form.proposed_purpose,
            selectors.DEFAULT_REFERRAL_CATEGORIES,
            referral=referral,
        ),
    )


def referral_document_sent(request, pk):
    """Record how and when the officer sent the document through the agency's own channel."""
    referral = _referral_or_404(request, pk)
    case = referral.case
    form = DocumentSentForm(
        posted(request),
        initial={"how": referral.document_sent_how, "sent_at": referral.document_sent_at},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_document_sent(
                referral=referral,
                how=form.cleaned_data["how"],
                sent_at=form.cleaned_data["sent_at"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except services.TransitionRefused as refusal:
            form.add_error("sent_at" if refusal.code == "sent_at_out_of_range" else "how", refusal)
        else:
            messages.success(request, f"Recorded how the document reached {referral.agency}")
            return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#referrals")
    return _form_page(
        request, form, case, template="sharing/referral_status.html", referral=referral
    )


@require_POST
def referral_reissue_link(request, pk):
    """Send a new secure link when the agency's expired or locked; the old one stops."""
    referral = _referral_or_404(request, pk)
    try:
        link = services.reissue_link(
            referral=referral, actor=request.user, ip_address=client_ip(request)
        )
    except services.DeliveryFailed as failure:
        messages.error(request, str(failure))
    else:
        messages.success(request, f"A new link was sent to {link.email}")
    return redirect(reverse("sharing:case-detail", args=[referral.case_id]) + "#referrals")


def referral_status_update(request, pk):
    referral = _referral_or_404(request, pk)
    case = referral.case
    form = ReferralStatusForm(posted(request), referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_referral_status(
                referral=referral,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except services.TransitionRefused as error:
            form.add_error("status", error)
        else:
            messages.success(request, f"Referral to {referral.agency} updated")
            return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#referrals")
    return _form_page(
        request, form, case, template="sharing/referral_status.html", referral=referral
    )


def referral_withdraw(request, pk):
    """Withdraw a draft that will not be sent, such as one to an agency closed since drafting."""
    referral = _referral_or_404(request, pk)
    case = referral.case
    if referral.status != ReferralStatus.DRAFT:
        messages.error(request, "Only a draft referral can be withdrawn")
        return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#referrals")
    form = ReferralWithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.withdraw_draft_referral(
            referral=referral,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"Draft referral to {referral.agency} withdrawn")
        return redirect(reverse("sharing:case-detail", args=[case.pk]) + "#referrals")
    return _form_page(
        request, form, case, template="sharing/referral_status.html", referral=referral
    )


def escalation_queue(request):
    """The manager's queue: escalations awaiting a decision, oldest first, with their age."""
    if not permissions.can_decide_escalations(request.user):
        raise PermissionDenied
    escalations = selectors.escalations_awaiting_decision(user=request.user)
    escalation_filter = EscalationFilter(request.GET, queryset=escalations)
    filtered = escalation_filter.qs if escalation_filter.is_valid() else escalations.none()
    page, pagination = paginate(filtered, request.GET, CASES_PER_PAGE)
    record_view(
        request,
        object_type="sharing.escalation",
        detail={"list": "escalations awaiting a decision"},
    )
    return render(
        request,
        "sharing/escalation_queue.html",
        {"filter": escalation_filter, "page": page, "pagination": pagination},
    )


def referral_overdue_list(request):
    """Referrals past their follow-up date on the cases this person sees: the whole team's for
    a manager, an officer's own for an officer."""
    if not permissions.can_view_referrals_list(request.user):
        raise PermissionDenied
    referral_filter, page, pagination = filter_and_paginate(
        OverdueReferralFilter,
        selectors.overdue_referrals(user=request.user),
        request.GET,
        CASES_PER_PAGE,
    )
    return render(
        request,
        "sharing/referral_overdue_list.html",
        {"filter": referral_filter, "page": page, "pagination": pagination},
    )


def case_sight(request, pk):
    """Who else may read this case: a manager gives or withdraws a colleague's sight of it."""
    case = case_or_404(request, pk)
    if not permissions.can_give_sight(request.user):
        raise Http404("No such case")
    form = CaseSightForm(posted(request), case=case)
    if request.method == "POST" and "withdraw" in request.POST:
        person = get_object_or_404(get_user_model(), pk=parse_id(request.POST["withdraw"]))
        services.withdraw_sight_of_case(
            case=case, person=person, actor=request.user, ip_address=client_ip(request)
        )
        messages.success(request, f"{person.full_name} can no longer see this case")
        return redirect("sharing:case-sight", pk=case.pk)
    if form.is_valid():
        try:
            services.give_sight_of_case(
                case=case,
                person=form.cleaned_data["person"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except services.SightRefused as refusal:
            form.add_error("person", str(refusal))
        else:
            messages.success(
                request, f"{form.cleaned_data['person'].full_name} can now see this case"
            )
            return redirect("sharing:case-sight", pk=case.pk)
    return render(
        request,
        "sharing/case_sight.html",
        {"form": form, "case": case, "people": selectors.people_given_sight(case=case)},
    )
