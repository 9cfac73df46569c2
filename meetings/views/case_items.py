"""Cases on a meeting's agenda, and the confidentiality statement."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.services import client_ip
from meetings import forms, permissions, selectors, services
from meetings.models import AgendaItem, CaseHearing
from meetings.refusals import Refused
from meetings.views.agenda import agenda_item_for
from meetings.views.pages import form_page, submitted
from sharing import permissions as sharing_permissions
from sharing.consent_links import consent_request_url
from sharing.selectors import disclosures_from


def _consent_request(request, form, meeting, case=None) -> dict:
    """When the gate refused some agencies for want of consent, the request to the Authority
    for exactly them, filled in with what was chosen here: one click from the refusal."""
    refusal = getattr(form, "refusal", None)
    lacking = getattr(refusal, "consent_lacking", ())
    case = case or (form.cleaned_data.get("case") if lacking else None)
    if (
        not lacking
        or case is None
        or not sharing_permissions.can_request_consent(request.user, case)
    ):
        return {}
    return {
        "consent_lacking": lacking,
        "consent_request_url": consent_request_url(
            case,
            lacking,
            form.cleaned_data["purpose"],
            form.cleaned_data["categories"],
            necessity=f"To discuss the case with the agencies at {meeting.forum}, "
            f"{timezone.localtime(meeting.start):%-d %B %Y}.",
        ),
    }


def case_item_create(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not (meeting.forum.discusses_cases and permissions.may_list_cases(request.user)):
        raise Http404("Not found")
    form = forms.CaseItemForm(request.POST or None, meeting=meeting, user=request.user)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.add_case_item(
            meeting=meeting,
            case=data["case"],
            title=data["heading"],
            purpose=data["purpose"],
            categories=data["categories"],
            content=data["content"],
            record_of_decision=form.record_of_decision(request.user),
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Case added to the agenda and shared with the agencies",
        redirect_to=meeting_url + "#agenda",
    ):
        return done
    return form_page(
        request,
        form,
        back_url=meeting_url,
        template="meetings/case_item_form.html",
        context={
            "intro": f"Adding a case to the agenda of {meeting} shares it with every agency "
            "attending.",
            "agencies": selectors.attending_agencies(
                meeting.attendances.select_related("agency"), besides=request.user.agency_id
            ),
            **_consent_request(request, form, meeting),
        },
    )


def case_item_share(request, pk):
    item = agenda_item_for(request.user, pk)
    if item.case_id is None or not permissions.may_work_on_case_item(request.user, item):
        raise Http404("Not found")
    earlier = disclosures_from(AgendaItem, [item.pk]).order_by("-disclosed_at").first()
    form = forms.CaseItemShareForm(request.POST or None, disclosure=earlier)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id})
    if done := submitted(
        request,
        form,
        lambda data: services.share_case_item(
            item=item,
            purpose=data["purpose"],
            categories=data["categories"],
            record_of_decision=form.record_of_decision(request.user),
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success=lambda shared: (
            f"Case shared with {len(shared)} more agenc{pluralize(shared, 'y,ies')}"
        ),
        redirect_to=meeting_url + "#agenda",
    ):
        return done
    return form_page(
        request,
        form,
        back_url=meeting_url,
        template="meetings/case_item_form.html",
        context={
            "intro": f"Agenda item {item.position}, {item.title}, is shared with each agency "
            "attending when it is added. Agencies invited since have not been given it.",
            "agencies": selectors.agencies_not_yet_covered(item, besides=request.user.agency_id),
            "sharing_later": True,
            **_consent_request(request, form, item.meeting, case=item.case),
        },
    )


@require_POST
def meeting_affirm(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not (meeting.forum.discusses_cases or meeting.agenda_items.exclude(case=None).exists()):
        raise Http404("Not found")
    try:
        services.affirm_confidentiality(
            meeting=meeting, actor=request.user, ip_address=client_ip(request)
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "You have affirmed the confidentiality statement")
    return redirect(reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#agenda")


def case_hearing_record(request, pk):
    item = agenda_item_for(request.user, pk)
    if (
        item.case_id is None
        or not item.meeting.forum.is_marac
        or not permissions.may_see_case_item(request.user, item)
        or not permissions.may_record_hearing(request.user, item)
    ):
        raise Http404("Not found")
    hearing = CaseHearing.objects.filter(agenda_item=item).first()
    form = forms.CaseHearingForm(request.POST or None, hearing=hearing)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id})
    if done := submitted(
        request,
        form,
        lambda data: services.record_hearing(
            item=item,
            outcome=data["outcome"],
            referring_agency=data["referring_agency"],
            idva_allocated=data["idva_allocated"],
            idva_agency=data["idva_agency"],
            idva_name=data["idva_name"],
            notes=data["notes"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Outcome recorded",
        redirect_to=meeting_url + "#agenda",
    ):
        return done
    return form_page(
        request,
        form,
        back_url=meeting_url,
        context={"intro": f"Agenda item {item.position}, {item.title}, at {item.meeting}."},
    )
