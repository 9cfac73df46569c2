"""The secure link an agency without Partnerhub users receives: no sign-in, but a one-time code
sent to the link's own address opens it in that browser for a while. The page then shows
exactly what was released, lets the agency download it as a document and answer the referral.
The rules (expiry, lock-out, withdrawal) are sharing/services/delivery.py's; this page only
keeps the proof of the code in the session."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from audit.services import client_ip
from sharing import selectors, services
from sharing.forms import LinkCodeForm, ReferralAnswerForm
from sharing.models import ReferralStatus
from sharing.views.access import posted
from sharing.views.answers import document_download


def _session_key(link) -> str:
    return f"secure-link-opened-{link.pk}"


def _opened_at(request, link) -> datetime | None:
    opened = request.session.get(_session_key(link))
    return datetime.fromisoformat(opened) if opened else None


def _link_or_404(token):
    link = services.link_for_token(token)
    if link is None:
        raise Http404("No such link")
    return link


def _refused(request, link, refusal, status=403):
    return render(
        request,
        "sharing/secure_link_refused.html",
        {"link": link, "refusal": refusal},
        status=410 if refusal.code in {"expired", "withdrawn", "replaced"} else status,
    )


@login_not_required
@never_cache
def secure_link(request, token):
    link = _link_or_404(token)
    ip_address = client_ip(request)
    opened_at = _opened_at(request, link)
    try:
        services.require_opened(link, opened_at)
    except services.LinkRefused as refusal:
        if refusal.code == "not_verified":
            return _code_page(request, link, token, ip_address)
        return _refused(request, link, refusal)
    referral = link.referral
    answerable = referral.status in {ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED}
    form = ReferralAnswerForm(posted(request), referral=referral) if answerable else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.answer_referral_by_link(
                link=link,
                opened_at=opened_at,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                ip_address=ip_address,
            )
        except services.TransitionRefused as refusal:
            form.add_error("note" if refusal.code == "note_required" else "status", refusal)
        except services.LinkRefused as refusal:
            return _refused(request, link, refusal)
        else:
            messages.success(request, "Your answer is recorded and the referring team is told")
            return redirect("sharing:secure-link", token=token)
    services.record_link_view(link, what="referral", ip_address=ip_address)
    return render(
        request,
        "sharing/secure_link.html",
        {
            "link": link,
            "token": token,
            "referral": referral,
            "form": form,
            "history": referral.status_changes.select_related("answered_through__contact"),
            "corrections": selectors.correction_notices_to(
                case=referral.case, agency=referral.agency
            ),
        },
    )


def _code_page(request, link, token, ip_address):
    form = LinkCodeForm(request.POST if request.POST.get("action") == "check" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send":
                services.send_code(link, ip_address=ip_address)
                messages.success(request, f"We have sent a code to {link.email}")
                return redirect("sharing:secure-link", token=token)
            if form.is_valid():
                opened_at = services.check_code(
                    link, form.cleaned_data["code"], ip_address=ip_address
                )
                request.session.cycle_key()
                request.session[_session_key(link)] = opened_at.isoformat()
                return redirect("sharing:secure-link", token=token)
        except services.LinkRefused as refusal:
            if refusal.code in {"wrong_code", "too_soon"}:
                form.add_error("code" if refusal.code == "wrong_code" else None, refusal.message)
            else:
                return _refused(request, link, refusal)
        except services.DeliveryFailed as failure:
            form.add_error(None, str(failure))
    return render(
        request,
        "sharing/secure_link_code.html",
        {
            "link": link,
            "form": form,
            "code_sent": bool(link.code_digest) and link.code_expires_at > timezone.now(),
        },
    )


@login_not_required
@never_cache
def secure_link_document(request, token):
    link = _link_or_404(token)
    try:
        services.require_opened(link, _opened_at(request, link))
    except services.LinkRefused as refusal:
        if refusal.code == "not_verified":
            return redirect("sharing:secure-link", token=token)
        return _refused(request, link, refusal)
    disclosure = link.disclosure
    text = selectors.released_text(disclosure)
    if text is None:
        messages.error(request, "The released text is no longer held")
        return redirect("sharing:secure-link", token=token)
    response = document_download(
        disclosure, recipient=f"{link.referral.agency.name} – {link.addressee}", text=text
    )
    if response is None:
        messages.error(request, "The document could not be produced. Try again later")
        return redirect("sharing:secure-link", token=token)
    services.record_link_view(link, what="document", ip_address=client_ip(request))
    return response
