"""Directory and people pages."""

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agencies import imports, permissions, selectors, services
from agencies.csv_format import AGENCY_COLUMNS, CONTACT_COLUMNS
from agencies.exports import agency_csv_lines
from agencies.filters import AgreementReviewFilter, DirectoryFilter
from agencies.forms import (
    AgencyDetailsForm,
    AgencyForm,
    AreasForm,
    ContactForm,
    ImportForm,
    InvitationForm,
    SetPasswordForm,
)
from agencies.models import Agency, User
from agencies.page_sections import sections_for
from agencies.services import (
    InvitationRefused,
    accept_invitation,
    invitation_for_token,
    invite_person,
)
from audit.models import Verb
from audit.services import client_ip, record
from core.pagination import filter_and_paginate, paginate


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


@require_GET
def email_address(request):
    """In place of allauth's page for adding and choosing addresses: a person's address is their
    sign-in name and the "who" of every audit event, so only an administrator changes it."""
    return render(request, "account/email.html")


def email_confirmation_closed(request, key=None):
    # No address is ever confirmed by a link: none is added by its holder.
    raise Http404


AGENCIES_PER_PAGE = 25
_IMPORT_SESSION_KEY = "agencies:import"


def _directory_filter(request) -> DirectoryFilter:
    return DirectoryFilter(request.GET, queryset=Agency.objects.all())


def agency_list(request):
    if not permissions.can_view_directory(request.user):
        raise PermissionDenied
    return _directory_page(request, _directory_filter(request))


def agreements_due_for_review(request):
    """The directory managers' queue: agreements to review before the consent gate stops
    releases to the agency."""
    if not permissions.can_manage_directory(request.user):
        raise PermissionDenied
    review_filter, page, pagination = filter_and_paginate(
        AgreementReviewFilter,
        selectors.agreements_due_for_review(user=request.user),
        request.GET,
        AGENCIES_PER_PAGE,
    )
    return render(
        request,
        "agencies/agreements_due_for_review.html",
        {
            "filter": review_filter,
            "page": page,
            "pagination": pagination,
            "notice_days": selectors.AGREEMENT_REVIEW_NOTICE_DAYS,
        },
    )


def _directory_page(request, directory: DirectoryFilter, status: int = 200):
    agencies = directory.qs if directory.is_valid() else Agency.objects.none()
    page, pagination = paginate(
        selectors.directory_for(user=request.user, agencies=agencies),
        request.GET,
        AGENCIES_PER_PAGE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agencies/agency_list.html",
        {
            "filter": directory,
            "page": page,
            "pagination": pagination,
            "export_url": reverse("agencies:agency-export") + "?" + query.urlencode(),
            "has_areas": request.user.assigned_local_authorities.exists(),
            "can_create": permissions.can_create_agency(request.user),
            "can_import": permissions.can_import_directory(request.user),
            "can_manage_own_areas": permissions.can_manage_areas_of(request.user, request.user)
            and permissions.can_manage_directory(request.user),
        },
        status=status,
    )


def agency_export(request):
    if not permissions.can_view_directory(request.user):
        raise PermissionDenied
    directory = _directory_filter(request)
    unknown = set(request.GET) - set(directory.filters)
    if not directory.is_valid() or unknown:
        # A file that silently leaves a filter out is taken for the list that was asked for;
        # the list page says what is wrong instead, and nothing is exported or recorded.
        if unknown:
            directory.form.add_error(
                None,
                f"The filter {', '.join(sorted(unknown))} is not one this list has: "
                "clear the filters and choose again",
            )
        return _directory_page(request, directory, status=400)
    agencies = directory.qs
    record(
        verb=Verb.EXPORTED,
        actor=request.user,
        object_type="agencies.agency",
        detail={"filters": sorted(key for key, value in request.GET.items() if value)},
        ip_address=client_ip(request),
    )
    rows = selectors.agencies_for_export(agencies.order_by("name", "pk")).iterator(chunk_size=500)
    response = StreamingHttpResponse(agency_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnerhub-directory.csv"'
    return response


def agency_detail(request, pk):
    agency = permissions.agency_for_viewing(request.user, pk)
    can_edit = permissions.can_edit_agency(request.user, agency)
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "can_edit": can_edit,
            "can_manage": permissions.can_manage_directory(request.user),
            "can_edit_contacts": permissions.can_edit_contacts(request.user, agency),
            "can_view_contacts": permissions.can_view_contacts(request.user),
            **selectors.agency_page(user=request.user, agency=agency, with_history=can_edit),
            "sections": sections_for(user=request.user, agency=agency),
        },
    )


def _changed_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@permission_required("agencies.add_agency", raise_exception=True)
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = services.create_agency(
            actor=request.user, values=_changed_values(form), ip_address=client_ip(request)
        )
        messages.success(request, f"{agency.name} is in the directory")
        return redirect("agencies:agency-detail", pk=agency.pk)
    return render(request, "agencies/agency_form.html", {"form": form})


def agency_edit(request, pk):
    agency = permissions.agency_for_editing(request.user, pk)
    form_class = AgencyForm if permissions.can_manage_directory(request.user) else AgencyDetailsForm
    form = form_class(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        # The form has already applied its values to the instance; the service compares
        # against the stored row, so read it afresh.
        changed = services.update_agency(
            agency=Agency.objects.get(pk=agency.pk),
            actor=request.user,
            values=_changed_values(form),
            ip_address=client_ip(request),
        )
        messages.success(request, f"{agency.name} is updated" if changed else "Nothing was changed")
        return redirect("agencies:agency-detail", pk=agency.pk)
    return render(request, "agencies/agency_form.html", {"form": form, "agency": agency})


def _agency_for_managing(request, pk) -> Agency:
    if not permissions.can_manage_directory(request.user):
        raise Http404
    return get_object_or_404(Agency, pk=pk)


def agency_deactivate(request, pk):
    agency = _agency_for_managing(request, pk)
    if request.method == "POST":
        services.deactivate_agency(agency=agency, actor=request.user, ip_address=client_ip(request))
        messages.success(request, f"{agency.name} is deactivated. Its entry and history are kept")
        return redirect("agencies:agency-detail", pk=agency.pk)
    return render(request, "agencies/agency_deactivate.html", {"agency": agency})


@require_POST
def agency_reactivate(request, pk):
    agency = _agency_for_managing(request, pk)
    services.reactivate_agency(agency=agency, actor=request.user, ip_address=client_ip(request))
    messages.success(request, f"{agency.name} is active again")
    return redirect("agencies:agency-detail", pk=agency.pk)


def contact_create(request, pk):
    agency = permissions.agency_for_contact_editing(request.user, pk)
    form = ContactForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        contact = services.create_contact(
            agency=agency,
            actor=request.user,
            values=_changed_values(form),
            ip_address=client_ip(request),
        )
        messages.success(request, f"{contact.full_name} is added to {agency.name}")
        return redirect("agencies:agency-detail", pk=agency.pk)
    return render(request, "agencies/contact_form.html", {"form": form, "agency": agency})


def contact_edit(request, pk, contact_pk):
    contact = permissions.contact_for_editing(request.user, pk, contact_pk)
    agency = contact.agency
    form = ContactForm(request.POST or None, instance=contact, agency=agency)
    if request.method == "POST" and form.is_valid():
        services.update_contact(
            contact=contact,
            actor=request.user,
            values=_changed_values(form),
            ip_address=client_ip(request),
        )
        messages.success(request, f"{form.cleaned_data['full_name']} is updated")
        return redirect("agencies:agency-detail", pk=agency.pk)
    return render(request, "agencies/contact_form.html", {"form": form, "agency": agency})


@require_POST
def contact_deactivate(request, pk, contact_pk):
    contact = permissions.contact_for_editing(request.user, pk, contact_pk)
    services.deactivate_contact(contact=contact, actor=request.user, ip_address=client_ip(request))
    messages.success(request, f"{contact.full_name} is no longer listed as a contact")
    return redirect("agencies:agency-detail", pk=pk)


@require_POST
def contact_reactivate(request, pk, contact_pk):
    contact = permissions.contact_for_editing(request.user, pk, contact_pk)
    services.reactivate_contact(contact=contact, actor=request.user, ip_address=client_ip(request))
    messages.success(request, f"{contact.full_name} is listed as a contact again")
    return redirect("agencies:agency-detail", pk=pk)


def areas_edit(request, pk):
    person = get_object_or_404(User, pk=pk)
    if not permissions.can_manage_areas_of(request.user, person):
        raise Http404
    form = AreasForm(
        request.POST or None,
        person=person,
        initial={"local_authorities": list(person.assigned_local_authorities.all())},
    )
    if request.method == "POST" and form.is_valid():
        services.assign_areas(
            person=person,
            local_authorities=list(form.cleaned_data["local_authorities"]),
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, "The areas are saved")
        return redirect("agencies:agency-list")
    return render(request, "agencies/areas_form.html", {"form": form, "person": person})


@permission_required("agencies.import_directory", raise_exception=True)
def directory_import(request):
    """Upload and check a file; nothing is written until the person confirms a clean plan."""
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            text = imports.decode(form.cleaned_data["file"].read())
            plan = imports.check_file(what=form.cleaned_data["what"], text=text)
        except imports.ImportRefused as problem:
            refusal = str(problem)
            form.add_error("file", refusal)
        else:
            if plan.can_be_imported:
                request.session[_IMPORT_SESSION_KEY] = {"what": plan.what, "text": text}
    return render(
        request,
        "agencies/directory_import.html",
        {
            "form": form,
            "plan": plan,
            "columns": {"agencies": AGENCY_COLUMNS, "contacts": CONTACT_COLUMNS},
        },
    )


@require_POST
@permission_required("agencies.import_directory", raise_exception=True)
def directory_import_confirm(request):
    pending = request.session.get(_IMPORT_SESSION_KEY)
    if not pending or imports.digest_of(pending["text"]) != request.POST.get("digest"):
        messages.error(request, "The checked file has changed or expired. Upload it again")
        return redirect("agencies:directory-import")
    plan = imports.carry_out(
        what=pending["what"],
        text=pending["text"],
        actor=request.user,
        ip_address=client_ip(request),
    )
    if not plan.can_be_imported:
        return render(
            request,
            "agencies/directory_import.html",
            {"form": ImportForm(), "plan": plan, "columns": {}},
        )
    del request.session[_IMPORT_SESSION_KEY]
    messages.success(request, f"{len(plan.rows)} {plan.what} imported")
    return redirect("agencies:agency-list")


@permission_required("agencies.import_directory", raise_exception=True)
def import_template(request, what):
    columns = {"agencies": AGENCY_COLUMNS, "contacts": CONTACT_COLUMNS}.get(what)
    if columns is None:
        raise Http404
    response = HttpResponse(",".join(columns) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partnerhub-{what}-template.csv"'
    return response
