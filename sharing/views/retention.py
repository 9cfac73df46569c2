"""Legal holds on a case, and the subject access copy of everything held about its person."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from audit.models import Verb
from audit.services import client_ip, record
from sharing import permissions
from sharing.forms.retention import LegalHoldForm, LiftLegalHoldForm
from sharing.services import retention
from sharing.subject_access import as_json, subject_access_copy
from sharing.views.access import case_or_404, posted


def _case_to_hold(request, pk):
    case = case_or_404(request, pk)
    if not permissions.can_hold_case(request.user, case):
        raise Http404("No such case")
    return case


def legal_hold_place(request, pk):
    return _legal_hold_page(
        request,
        pk,
        needs_hold=False,
        form_class=LegalHoldForm,
        change=retention.place_legal_hold,
        done="Case {reference} is on legal hold",
    )


def legal_hold_lift(request, pk):
    return _legal_hold_page(
        request,
        pk,
        needs_hold=True,
        form_class=LiftLegalHoldForm,
        change=retention.lift_legal_hold,
        done="The legal hold on case {reference} is lifted",
    )


def _legal_hold_page(request, pk, *, needs_hold, form_class, change, done):
    """Placing and lifting a hold are one page: a reason, given to the service, which may still
    refuse. A case already in the state asked for goes back to its page."""
    case = _case_to_hold(request, pk)
    if (retention.current_legal_hold(case) is not None) != needs_hold:
        return redirect("sharing:case-detail", pk=case.pk)
    form = form_class(posted(request))
    if form.is_valid():
        try:
            change(
                case=case,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except retention.LegalHoldRefused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, done.format(reference=case.reference))
            return redirect("sharing:case-detail", pk=case.pk)
    return render(request, "sharing/case_form_page.html", {"form": form, "case": case})


def subject_access(request, pk):
    """Everything held about the person and every release of it, for a subject access request
    (UK GDPR Art. 15): for those who may see "who received what" about the case."""
    case = case_or_404(request, pk)
    copy = subject_access_copy(case)
    downloading = request.GET.get("format") == "json"
    # Either way the copy is made to leave the system: the consent report counts both.
    record(
        verb=Verb.EXPORTED,
        actor=request.user,
        target=case,
        detail={"page": "subject-access", "format": "json" if downloading else "print"},
        ip_address=client_ip(request),
    )
    if downloading:
        response = HttpResponse(
            json.dumps(as_json(copy), indent=2, ensure_ascii=False, cls=DjangoJSONEncoder),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{case.reference}-subject-access.json"'
        )
        return response
    return render(
        request, "sharing/consent/subject_access_print.html", {"copy": copy, "case": case}
    )
