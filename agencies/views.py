"""Directory and people pages."""

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required, permission_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from agencies.forms import InvitationForm, SetPasswordForm
from agencies.services import (
    InvitationRefused,
    accept_invitation,
    invitation_for_token,
    invite_person,
)
from audit.services import client_ip


@permission_required("agencies.invite_user", raise_exception=True)
def invitation_create(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = invite_person(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            job_title=form.cleaned_data["job_title"],
            agency=form.cleaned_data["agency"],
            roles=list(form.cleaned_data["roles"]),
            invited_by=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"Invitation sent to {sent.invitation.user.email}")
        return redirect("agencies:invitation-create")
    return render(
        request,
        "agencies/invitation_form.html",
        {"form": form, "invitation_days": settings.INVITATION_VALID_DAYS},
    )


@login_not_required
@never_cache
def invitation_accept(request, token):
    try:
        invitation = invitation_for_token(token)
    except InvitationRefused as refusal:
        return render(request, "agencies/invitation_refused.html", {"reason": refusal}, status=410)
    form = SetPasswordForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                token=token, password=form.cleaned_data["password"], ip_address=client_ip(request)
            )
        except InvitationRefused as refusal:
            return render(
                request, "agencies/invitation_refused.html", {"reason": refusal}, status=410
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # Tell allauth a password was just used, so enrolling an authenticator next does not
        # ask for the password a second time.
        record_authentication(
            request, user, method="password", email=user.email, reauthenticated=True
        )
        messages.success(request, "Your password is set. Now set up your authenticator app.")
        return redirect("mfa_activate_totp")
    return render(
        request, "agencies/invitation_accept.html", {"form": form, "invited": invitation.user}
    )
