"""A partner agency answering a referral sent to it, in Partnerhub: what was released to the
agency, the referral's history, and the answer. The page shows only what the agency was given;
the case itself stays out of its sight."""

from django.contrib import messages
from django.shortcuts import redirect, render

from audit.services import client_ip, record_view
from sharing import permissions, selectors, services
from sharing.forms import ReferralAnswerForm
from sharing.models import Referral
from sharing.views.access import posted, refuse_sight


def referral_answer(request, pk):
    referral = (
        permissions.referrals_received_by(user=request.user)
        .select_related("agency", "kind", "case")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise refuse_sight(request, Referral, pk)
    answerable = permissions.can_answer_referral(request.user, referral)
    form = ReferralAnswerForm(posted(request), referral=referral) if answerable else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.answer_referral(
                referral=referral,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except services.TransitionRefused as refusal:
            field = "note" if refusal.code == "note_required" else "status"
            form.add_error(field, refusal)
        else:
            referral.refresh_from_db()
            messages.success(
                request,
                f"Your answer is recorded ({referral.get_status_display().lower()}) and the "
                "referring officer is told",
            )
            return redirect("sharing:referral-answer", pk=referral.pk)
    record_view(request, target=referral)
    return render(
        request,
        "sharing/referral_answer.html",
        {
            "referral": referral,
            "form": form,
            "disclosure": selectors.referral_disclosure(referral, agency_id=request.user.agency_id),
            "history": referral.status_changes.select_related("changed_by"),
        },
    )
