"""The directory at scale: agencies across the provider's four regions with their areas,
agreements and contacts, and the people who sign in, in every role."""

import base64
import hashlib
import hmac
from datetime import timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from agencies.models import SECTOR_OF_KIND, Agency, AgencyKind, Contact, LocalAuthority, User
from audit.models import Verb
from core.roles import Role
from home.scale import vocabulary
from home.scale.tables import insert, next_ids
from home.scale.world import World

# Every generated person signs in with this password and a TOTP code computed from
# `totp_secret_for(email)`, so a load tester can sign in as anyone it picks.
SCALE_PASSWORD = "partnerhub-scale-2026"
SCALE_EMAIL_DOMAIN = "scale.partnerhub.test"
_TOTP_KEY = b"partnerhub-scale-totp"

# How the people divide between the roles, as shares of the size's number of users.
ROLE_SHARES = {
    Role.ADMINISTRATOR: 0.02,
    Role.PARTNERSHIP_MANAGER: 0.07,
    Role.SAFEGUARDING_OFFICER: 0.40,
    Role.SAFEGUARDING_MANAGER: 0.07,
    Role.AUTHORITY: 0.05,
    Role.COMPLIANCE_REVIEWER: 0.03,
    Role.PARTNER: 0.36,
}
TEAM_ROLES = {
    Role.ADMINISTRATOR,
    Role.PARTNERSHIP_MANAGER,
    Role.SAFEGUARDING_OFFICER,
    Role.SAFEGUARDING_MANAGER,
    Role.COMPLIANCE_REVIEWER,
}

# The kinds of the partner agencies, weighted as a provider's directory holds them.
KIND_WEIGHTS = {
    AgencyKind.NGO: 20,
    AgencyKind.PRIMARY_CARE: 12,
    AgencyKind.NHS_TRUST: 8,
    AgencyKind.CHILDRENS_SERVICES: 8,
    AgencyKind.ADULT_SOCIAL_CARE: 8,
    AgencyKind.LOCAL_AUTHORITY_HOUSING: 8,
    AgencyKind.FAITH_OR_COMMUNITY: 8,
    AgencyKind.POLICE: 6,
    AgencyKind.EDUCATION: 6,
    AgencyKind.OTHER: 5,
    AgencyKind.PROBATION: 3,
    AgencyKind.INTEGRATED_CARE_BOARD: 3,
    AgencyKind.FIRE: 2,
    AgencyKind.STRATEGIC_MIGRATION_PARTNERSHIP: 1,
    AgencyKind.AIRE_PROVIDER: 1,
}
TEAM_KINDS = {AgencyKind.AUTHORITY, AgencyKind.HOUSING_PROVIDER}
PROVIDER_REGIONS = ["North West", "West Midlands", "East Midlands", "East of England"]


def totp_secret_for(email: str) -> str:
    """The base32 TOTP secret of a generated person: derived from their address, so a load
    tester computes their codes (tests/totp.py's `current_code`) without reading the database."""
    digest = hmac.new(_TOTP_KEY, email.lower().encode(), hashlib.sha256).digest()[:20]
    return base64.b32encode(digest).decode()


def _unique_name(wanted: str, taken: set) -> str:
    name, number = wanted, 2
    while name.lower() in taken:
        name, number = f"{wanted} ({number})", number + 1
    taken.add(name.lower())
    return name


def fill_agencies(world: World) -> None:
    rng, today = world.random, timezone.localdate(world.now)
    local_authorities = list(
        LocalAuthority.objects.filter(region__name__in=PROVIDER_REGIONS).values_list(
            "pk", "region_id", "name"
        )
    )
    for pk, region_id, _ in local_authorities:
        world.local_authorities_of_region.setdefault(region_id, []).append(pk)
    regions = sorted(world.local_authorities_of_region)
    taken = {name.lower() for name in Agency.objects.values_list("name", flat=True)}
    ids = next_ids(Agency, world.size.agencies)
    kinds = [
        AgencyKind.AUTHORITY,
        AgencyKind.HOUSING_PROVIDER,
        *rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=len(ids) - 2),
    ]
    agencies, covered_areas, covered_regions = [], [], []
    for pk, kind in zip(ids, kinds, strict=True):
        town = rng.choice(local_authorities)[2] if kind not in TEAM_KINDS else "National"
        name = _unique_name(f"{town} {vocabulary.AGENCY_NAMES[kind]}", taken)
        # Most partners hold a current agreement, signed before any generated case; some are
        # past their review date and some have none, as the agreements queue expects.
        roll = rng.random()
        current = kind in TEAM_KINDS or roll < 0.75
        if current:
            signed = today - timedelta(days=3 * 366 + rng.randrange(1, 400))
            review = today + timedelta(days=rng.randrange(20, 700))
        elif roll < 0.85:
            signed = today - timedelta(days=3 * 366 + rng.randrange(1, 400))
            review = today - timedelta(days=rng.randrange(1, 300))
        else:
            signed = review = None
        slug = slugify(name)[:40]
        agencies.append(
            {
                "id": pk,
                "name": name,
                "kind": kind,
                "sector": SECTOR_OF_KIND[kind],
                "parent_id": None,
                "address": f"{rng.randrange(1, 400)} Station Road, {town}",
                "phone": f"0161 496 {rng.randrange(0, 1000):04}",
                "email": f"enquiries@{slug}.example",
                "secure_email": f"safeguarding@{slug}.example" if current else "",
                "services": "Assessment, advice and casework for people in asylum support.",
                "referral_route": "",
                "information_sharing_agreement_signed_on": signed,
                "information_sharing_agreement_review_due_on": review,
            }
        )
        world.agencies[pk] = {
            "name": name,
            "kind": kind,
            "current": current,
            "signed": signed,
            "review": review,
        }
        if kind in TEAM_KINDS:
            covered_regions += [{"agency_id": pk, "region_id": region} for region in regions]
        elif rng.random() < 0.1:
            covered_regions.append({"agency_id": pk, "region_id": rng.choice(regions)})
        elif rng.random() < 0.95:
            region = rng.choice(regions)
            for local_authority in rng.sample(
                world.local_authorities_of_region[region], rng.randint(1, 3)
            ):
                covered_areas.append({"agency_id": pk, "localauthority_id": local_authority})
    for agency in agencies[2:]:
        if rng.random() < 0.05:
            agency["parent_id"] = rng.choice(agencies[2:])["id"]
            if agency["parent_id"] == agency["id"]:
                agency["parent_id"] = None
    insert(Agency, agencies)
    insert(Agency.local_authorities.through, covered_areas)
    insert(Agency.regions.through, covered_regions)
    world.authority_agency, world.team_agency = ids[0], ids[1]
    world.recipients = [pk for pk in ids[2:] if world.agencies[pk]["current"]]
    _fill_contacts(world, agencies)


def _fill_contacts(world: World, agencies: list[dict]) -> None:
    rng = world.random
    ids = iter(next_ids(Contact, len(agencies) * world.size.contacts_per_agency))
    contacts = []
    for agency in agencies:
        slug = slugify(agency["name"])[:40]
        for index in range(world.size.contacts_per_agency):
            given = rng.choice(vocabulary.STAFF_GIVEN_NAMES)
            family = rng.choice(vocabulary.STAFF_FAMILY_NAMES)
            pk = next(ids)
            contacts.append(
                {
                    "id": pk,
                    "agency_id": agency["id"],
                    "full_name": f"{given} {family}",
                    "job_title": rng.choice(vocabulary.JOB_TITLES),
                    "email": f"{given}.{family}.{pk}@{slug}.example".lower(),
                    "phone": f"0121 496 {rng.randrange(0, 1000):04}",
                    "is_single_point_of_contact": index == 0,
                    # The last of each agency's contacts has left, as directories show.
                    "is_active": index < world.size.contacts_per_agency - 1,
                    "user_id": None,
                }
            )
            if index == 0:
                world.spoc_of_agency[agency["id"]] = pk
    insert(Contact, contacts)


def role_counts(users: int) -> dict[str, int]:
    counts = {role: max(1, round(users * share)) for role, share in ROLE_SHARES.items()}
    counts[Role.SAFEGUARDING_OFFICER] += users - sum(counts.values())
    return counts


def fill_people(world: World) -> None:
    rng = world.random
    groups = dict(Group.objects.values_list("name", "pk"))
    password = make_password(SCALE_PASSWORD)
    counts = role_counts(world.size.users)
    ids = iter(next_ids(User, sum(counts.values())))
    # Partner users work at a few of the agencies that receive information, so each of those
    # agencies has several people reading what it was sent.
    partner_agencies = world.recipients[: max(1, len(world.recipients) // 3)]
    users, memberships, authenticators, areas = [], [], [], []
    joined = world.now - timedelta(days=3 * 366 + 30)
    for role, count in counts.items():
        for number in range(count):
            pk = next(ids)
            given = rng.choice(vocabulary.STAFF_GIVEN_NAMES)
            family = rng.choice(vocabulary.STAFF_FAMILY_NAMES)
            email = f"{given}.{family}.{pk}@{SCALE_EMAIL_DOMAIN}".lower()
            if role in TEAM_ROLES:
                agency = world.team_agency
            elif role == Role.AUTHORITY:
                agency = world.authority_agency
            else:
                agency = partner_agencies[number % len(partner_agencies)]
            users.append(
                {
                    "id": pk,
                    "password": password,
                    "last_login": None,
                    "is_superuser": False,
                    "email": email,
                    "full_name": f"{given} {family}",
                    "job_title": role.label,
                    "agency_id": agency,
                    "agency_since": None,
                    "is_active": True,
                    "is_staff": role == Role.ADMINISTRATOR,
                    "date_joined": joined,
                    "deactivated_at": None,
                }
            )
            memberships.append({"user_id": pk, "group_id": groups[role.value]})
            authenticators.append(
                {
                    "user_id": pk,
                    "type": Authenticator.Type.TOTP,
                    "data": {"secret": encrypt(totp_secret_for(email))},
                    "created_at": joined,
                    "last_used_at": None,
                }
            )
            if role == Role.PARTNERSHIP_MANAGER:
                region = rng.choice(sorted(world.local_authorities_of_region))
                candidates = world.local_authorities_of_region[region]
                for local_authority in rng.sample(candidates, min(len(candidates), 5)):
                    areas.append({"user_id": pk, "localauthority_id": local_authority})
            world.people.setdefault(role, []).append(pk)
            world.email_of[pk] = email
            world.agency_of[pk] = agency
            world.record(joined, None, Verb.CREATED, "agencies.user", pk, email)
    insert(User, users)
    insert(User.groups.through, memberships)
    insert(Authenticator, authenticators)
    insert(User.assigned_local_authorities.through, areas)
    with_people = {world.agency_of[pk] for pk in world.people[Role.PARTNER]}
    Agency.objects.filter(pk__in=with_people).update(referral_route="partnerhub")
    for pk in with_people:
        world.agencies[pk]["has_people"] = True
