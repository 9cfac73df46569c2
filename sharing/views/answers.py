"""A partner agency answering a referral sent to it, in Partnerhub: what was released to the
agency, the referral's history, and the answer. The page shows only what the agency was given;
the case itself stays out of its sight."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from audit.models import Verb
from audit.services import client_ip, record, record_view
from sharing import permissions, selectors, services
from sharing.documents import DocumentFailed, release_document
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
            "corrections": selectors.correction_notices_to(
                case=referral.case, agency=referral.agency
            ),
        },
    )


def referral_document(request, pk):
    """The released snapshot as a PDF: for the referring team (to send through the agency's own
    channel) and for the receiving agency's own people, until consent is withdrawn."""
    referral = Referral.objects.select_related("agency", "case").filter(pk=pk).first()
    receiving = (
        referral is not None
        and permissions.referrals_received_by(user=request.user).filter(pk=pk).exists()
    )
    if referral is None or not (
        receiving or permissions.can_change_referral(request.user, referral)
    ):
        raise refuse_sight(request, Referral, pk)
    disclosure = selectors.referral_disclosure(referral, agency_id=referral.agency_id)
    text = selectors.released_text(disclosure) if disclosure is not None else None
    withdrawn = disclosure is not None and disclosure.withdrawn_at is not None
    if text is None or (receiving and withdrawn):
        messages.error(request, "There is no released text to download for this referral")
        if receiving:
            return redirect("sharing:referral-answer", pk=pk)
        return redirect("sharing:case-detail", pk=referral.case_id)
    contact = f" – {disclosure.recipient_contact.full_name}" if disclosure.recipient_contact else ""
    response = document_download(
        disclosure, recipient=f"{referral.agency.name}{contact}", text=text
    )
    if response is None:
        messages.error(request, "The document could not be produced. Try again later")
        return redirect("sharing:case-detail", pk=referral.case_id)
    record(
        verb=Verb.DOWNLOADED,
        actor=request.user,
        target=referral,
        detail={"case_id": referral.case_id, "disclosure_id": disclosure.pk},
        ip_address=client_ip(request),
    )
    return response


def document_download(disclosure, *, recipient: str, text: str) -> HttpResponse | None:
    """The released text as a PDF download, or None if the document could not be produced."""
    try:
        document = release_document(
            disclosure_number=disclosure.pk,
            recipient=recipient,
            released_at=disclosure.disclosed_at,
            snapshot=text,
        )
    except DocumentFailed:
        return None
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="disclosure-{disclosure.pk}.pdf"'
    return response
