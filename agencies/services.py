"""Operations on people and agencies that carry policy or touch several rows."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agencies import permissions, selectors
from agencies.models import Agency, Contact, Invitation, LocalAuthority, User
from audit.models import Verb
from audit.services import record


class EmailAddressTaken(Exception):
    """Someone else already signs in with the address."""


class InvitationRefused(Exception):
    """The invitation link cannot be used; the message says why, for the person holding it."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    url: str


def invite_person(
    *,
    full_name: str,
    email: str,
    agency: Agency,
    roles: list[Group],
    invited_by: User,
    job_title: str = "",
    ip_address: str | None = None,
) -> SentInvitation:
    """Create the person's account (with no usable password) and e-mail them a link to set one."""
    permissions.require_invite(invited_by)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, full_name=full_name, agency=agency, job_title=job_title
        )
        user.groups.set(roles)
        invitation = Invitation.objects.create(
            user=user,
            token_digest=_digest(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        record(
            verb=Verb.INVITED,
            actor=invited_by,
            target=user,
            detail={"agency_id": agency.pk, "roles": sorted(role.name for role in roles)},
            ip_address=ip_address,
        )
        record(
            verb=Verb.PERMISSION_CHANGED,
            actor=invited_by,
            target=user,
            changed_fields=["groups"],
            detail={"roles": sorted(role.name for role in roles)},
            ip_address=ip_address,
        )
    url = settings.PARTNERHUB_SITE_URL.rstrip("/") + reverse(
        "agencies:invitation-accept", args=[token]
    )
    context = {"user": user, "url": url, "invitation": invitation, "invited_by": invited_by}
    transaction.on_commit(
        lambda: send_mail(
            subject="You have been invited to Partnerhub",
            message=render_to_string("agencies/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )
    return SentInvitation(invitation=invitation, url=url)


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link refers to, or a refusal that says what is wrong with it."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_digest=_digest(token)).first()
    )
    if invitation is None:
        raise InvitationRefused("This invitation link is not valid. Check you copied all of it.")
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            "This invitation link has already been used. Sign in with the password you set, "
            "or reset your password if you have forgotten it."
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(
            "This invitation link has expired. Ask your administrator to invite you again."
        )
    if not invitation.user.is_active:
        raise InvitationRefused("This account has been deactivated.")
    return invitation


def accept_invitation(*, token: str, password: str, ip_address: str | None = None) -> User:
    with transaction.atomic():
        invitation = invitation_for_token(token)
        # Lock the row so the same link cannot be accepted twice at once.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationRefused("This invitation link has already been used.")
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        record(verb=Verb.INVITATION_ACCEPTED, actor=user, target=user, ip_address=ip_address)
    return user


# Directory entries. Each write records who did it and which fields changed (names only: the
# values may be personal data and the audit log keeps none).

AGENCY_RELATIONS = ("local_authorities", "regions")


def _set_values(instance, values: dict, relations=()) -> list[str]:
    """Apply `values` to the instance; the names of the fields whose value actually changed."""
    changed = []
    for name, value in values.items():
        if name in relations:
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _set_relations(instance, values: dict, relations) -> list[str]:
    changed = []
    for name in relations:
        if name not in values:
            continue
        wanted = {item.pk for item in values[name]}
        manager = getattr(instance, name)
        if {item.pk for item in manager.all()} != wanted:
            manager.set(wanted)
            changed.append(name)
    return changed


@transaction.atomic
def create_agency(*, actor: User, values: dict, ip_address: str | None = None) -> Agency:
    permissions.require_create_agency(actor)
    agency = Agency()
    fields = _set_values(agency, values, AGENCY_RELATIONS)
    agency.save()
    fields += _set_relations(agency, values, AGENCY_RELATIONS)
    record(
        verb=Verb.CREATED, actor=actor, target=agency, changed_fields=fields, ip_address=ip_address
    )
    return agency


@transaction.atomic
def update_agency(
    *, agency: Agency, actor: User, values: dict, ip_address: str | None = None
) -> list[str]:
    """Change an entry; returns the names of the fields that changed (nothing recorded if none)."""
    permissions.require_edit_agency(actor, agency, values.keys())
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    fields = _set_values(agency, values, AGENCY_RELATIONS)
    if fields:
        agency.save(update_fields=fields)
    fields += _set_relations(agency, values, AGENCY_RELATIONS)
    if fields:
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=agency,
            changed_fields=fields,
            ip_address=ip_address,
        )
    return fields


def _set_active(
    instance, *, active: bool, actor: User, ip_address: str | None, stamp: str = ""
) -> bool:
    """Switch `is_active`; `stamp` names a field that keeps the moment of the switch."""
    with transaction.atomic():
        locked = type(instance).objects.select_for_update().get(pk=instance.pk)
        if locked.is_active == active:
            return False
        fields = ["is_active"]
        locked.is_active = instance.is_active = active
        if stamp:
            moment = timezone.now()
            setattr(locked, stamp, moment)
            setattr(instance, stamp, moment)
            fields.append(stamp)
        locked.save(update_fields=fields)
        record(
            verb=Verb.REACTIVATED if active else Verb.DEACTIVATED,
            actor=actor,
            target=locked,
            changed_fields=fields,
            ip_address=ip_address,
        )
    return True


def deactivate_agency(*, agency: Agency, actor: User, ip_address: str | None = None) -> bool:
    """Take an agency out of use. It stays in the directory, with its history, for the record."""
    permissions.require_manage_directory(actor)
    return _set_active(agency, active=False, actor=actor, ip_address=ip_address)


def reactivate_agency(*, agency: Agency, actor: User, ip_address: str | None = None) -> bool:
    permissions.require_manage_directory(actor)
    return _set_active(agency, active=True, actor=actor, ip_address=ip_address)


@transaction.atomic
def create_contact(
    *, agency: Agency, actor: User, values: dict, ip_address: str | None = None
) -> Contact:
    permissions.require_edit_contacts(actor, agency)
    contact = Contact(agency=agency)
    fields = _set_values(contact, values)
    contact.save()
    record(
        verb=Verb.CREATED,
        actor=actor,
        target=contact,
        changed_fields=fields,
        detail={"agency_id": agency.pk},
        ip_address=ip_address,
    )
    return contact


@transaction.atomic
def update_contact(
    *, contact: Contact, actor: User, values: dict, ip_address: str | None = None
) -> list[str]:
    locked = Contact.objects.select_for_update().select_related("agency").get(pk=contact.pk)
    permissions.require_edit_contacts(actor, locked.agency)
    fields = _set_values(locked, values)
    if fields:
        locked.save(update_fields=fields)
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=locked,
            changed_fields=fields,
            detail={"agency_id": locked.agency_id},
            ip_address=ip_address,
        )
    return fields


def deactivate_contact(*, contact: Contact, actor: User, ip_address: str | None = None) -> bool:
    permissions.require_edit_contacts(actor, contact.agency)
    return _set_active(contact, active=False, actor=actor, ip_address=ip_address)


def reactivate_contact(*, contact: Contact, actor: User, ip_address: str | None = None) -> bool:
    permissions.require_edit_contacts(actor, contact.agency)
    return _set_active(contact, active=True, actor=actor, ip_address=ip_address)


# People. Deactivation and a move to another agency end what the person was given before
# (meetings refuses calendar feeds made earlier), so both keep the moment they happened.


def deactivate_person(*, person: User, actor: User, ip_address: str | None = None) -> bool:
    """Stop a person signing in. The moment is kept, so what they held before it stays dead
    even if they are reactivated."""
    permissions.require_manage_people(actor)
    return _set_active(
        person, active=False, actor=actor, ip_address=ip_address, stamp="deactivated_at"
    )


def reactivate_person(*, person: User, actor: User, ip_address: str | None = None) -> bool:
    permissions.require_manage_people(actor)
    return _set_active(person, active=True, actor=actor, ip_address=ip_address)


@transaction.atomic
def move_person(
    *, person: User, agency: Agency, actor: User, ip_address: str | None = None
) -> bool:
    """Make the person a member of another agency from now on."""
    permissions.require_manage_people(actor)
    locked = User.objects.select_for_update().get(pk=person.pk)
    if locked.agency_id == agency.pk:
        return False
    previous_agency_id = locked.agency_id
    locked.agency = person.agency = agency
    locked.agency_since = person.agency_since = timezone.now()
    locked.save(update_fields=["agency", "agency_since"])
    record(
        verb=Verb.CHANGED,
        actor=actor,
        target=locked,
        changed_fields=["agency", "agency_since"],
        detail={"from_agency_id": previous_agency_id, "to_agency_id": agency.pk},
        ip_address=ip_address,
    )
    return True


def normalise_email(email: str) -> str:
    # As create_user stores it, so that comparing addresses ignores case everywhere.
    return User.objects.normalize_email(email.strip()).lower()


@transaction.atomic
def change_email(*, person: User, email: str, actor: User, ip_address: str | None = None) -> bool:
    """Give the person a new sign-in address (administrators only), never one someone else
    holds. The event names the field, not the addresses."""
    permissions.require_may_change_account(actor, person)
    email = normalise_email(email)
    locked = User.objects.select_for_update().get(pk=person.pk)
    if locked.email == email:
        return False
    if selectors.email_address_taken(email, by_other_than=locked):
        raise EmailAddressTaken("Someone else already signs in with this e-mail address")
    old_email = locked.email
    locked.email = person.email = email
    locked.save(update_fields=["email"])
    # allauth's copies of the old address would go on signing in to this account, and would
    # claim the address if it were later given to someone else; it mirrors the new one anew.
    EmailAddress.objects.filter(user=locked).delete()
    record(
        verb=Verb.CHANGED,
        actor=actor,
        target=locked,
        changed_fields=["email"],
        ip_address=ip_address,
    )
    # The old address hears of it, so a change the person did not ask for (an account being
    # taken over through its address) does not go unnoticed.
    message = render_to_string("agencies/email/address_changed.txt", {"user": locked})
    transaction.on_commit(
        lambda: send_mail(
            subject="Your Partnerhub sign-in address has changed",
            message=message,
            from_email=None,
            recipient_list=[old_email],
        )
    )
    return True


@transaction.atomic
def change_roles(
    *,
    person: User,
    actor: User,
    roles: list[Group] | None = None,
    is_staff: bool | None = None,
    ip_address: str | None = None,
) -> list[str]:
    """Set what the person may do: their roles, and whether they may use the administration
    site (None leaves either as it is). Never the actor's own. Returns the names changed."""
    permissions.require_may_change_roles_of(actor, person)
    locked = User.objects.select_for_update().get(pk=person.pk)
    changed, detail = [], {}
    if is_staff is not None and locked.is_staff != is_staff:
        locked.is_staff = person.is_staff = is_staff
        locked.save(update_fields=["is_staff"])
        changed.append("is_staff")
    if roles is not None:
        before = set(locked.groups.values_list("name", flat=True))
        after = {role.name for role in roles}
        if before != after:
            locked.groups.set(roles)
            changed.append("groups")
            detail = {"added": sorted(after - before), "removed": sorted(before - after)}
    if changed:
        record(
            verb=Verb.PERMISSION_CHANGED,
            actor=actor,
            target=locked,
            changed_fields=changed,
            detail=detail,
            ip_address=ip_address,
        )
    return changed


@transaction.atomic
def assign_areas(
    *,
    person: User,
    local_authorities: list[LocalAuthority],
    actor: User,
    ip_address: str | None = None,
) -> bool:
    """Set the local authorities a partnership manager looks after ("my areas")."""
    permissions.require_manage_areas_of(actor, person)
    changed = _set_relations(
        person, {"assigned_local_authorities": local_authorities}, ["assigned_local_authorities"]
    )
    if changed:
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=person,
            changed_fields=changed,
            ip_address=ip_address,
        )
    return bool(changed)
