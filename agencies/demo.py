"""Demo directory and people for `seed_demo`. Idempotent: running it twice changes nothing."""

from django.contrib.auth.models import Group

from agencies.models import Agency, AgencyKind, User
from config.roles import Role

DEMO_PASSWORD = "partnerhub-demo-2026"

DEMO_AGENCIES = {
    AgencyKind.AUTHORITY: "The Authority – Asylum Support Safeguarding Hub",
    AgencyKind.HOUSING_PROVIDER: "Northgate Housing Partnership",
    AgencyKind.AIRE_PROVIDER: "AIRE Advice Line",
    AgencyKind.CHILDRENS_SERVICES: "Manchester City Council Children's Services",
    AgencyKind.ADULT_SOCIAL_CARE: "Birmingham City Council Adult Social Care",
    AgencyKind.LOCAL_AUTHORITY_HOUSING: "Leicester City Council Housing Options",
    AgencyKind.POLICE: "Greater Manchester Police Public Protection",
    AgencyKind.NHS_TRUST: "Manchester University NHS Foundation Trust",
    AgencyKind.INTEGRATED_CARE_BOARD: "NHS Birmingham and Solihull ICB",
    AgencyKind.PRIMARY_CARE: "Cheetham Hill Medical Practice",
    AgencyKind.PROBATION: "Probation Service – North West",
    AgencyKind.EDUCATION: "Norfolk County Council Education Inclusion",
    AgencyKind.FIRE: "Derbyshire Fire and Rescue Service",
    AgencyKind.STRATEGIC_MIGRATION_PARTNERSHIP: "North West Regional Strategic Migration Partnership",
    AgencyKind.NGO: "Refugee Action Network",
    AgencyKind.FAITH_OR_COMMUNITY: "St Anne's Community Welcome Centre",
    AgencyKind.OTHER: "Independent Interpreting Co-operative",
}

# (e-mail, name, job title, role, agency kind)
DEMO_PEOPLE = [
    (
        "admin@demo.partnerhub.test",
        "Alex Administrator",
        "Systems administrator",
        Role.ADMINISTRATOR,
        AgencyKind.HOUSING_PROVIDER,
    ),
    (
        "partnerships@demo.partnerhub.test",
        "Priya Partnerships",
        "Partnership manager",
        Role.PARTNERSHIP_MANAGER,
        AgencyKind.HOUSING_PROVIDER,
    ),
    (
        "officer@demo.partnerhub.test",
        "Sam Officer",
        "Regional safeguarding officer",
        Role.SAFEGUARDING_OFFICER,
        AgencyKind.HOUSING_PROVIDER,
    ),
    (
        "manager@demo.partnerhub.test",
        "Morgan Manager",
        "Safeguarding manager",
        Role.SAFEGUARDING_MANAGER,
        AgencyKind.HOUSING_PROVIDER,
    ),
    (
        "authority@demo.partnerhub.test",
        "Ada Authority",
        "Safeguarding hub lead",
        Role.AUTHORITY,
        AgencyKind.AUTHORITY,
    ),
    (
        "compliance@demo.partnerhub.test",
        "Casey Compliance",
        "Compliance reviewer",
        Role.COMPLIANCE_REVIEWER,
        AgencyKind.HOUSING_PROVIDER,
    ),
    ("partner@demo.partnerhub.test", "Pat Partner", "IDVA", Role.PARTNER, AgencyKind.NGO),
]


def seed() -> list[tuple[str, str]]:
    agencies = {}
    for kind, name in DEMO_AGENCIES.items():
        agencies[kind], _ = Agency.objects.get_or_create(name=name, defaults={"kind": kind})
    people = []
    for email, name, job_title, role, kind in DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=name,
                job_title=job_title,
                agency=agencies[kind],
                is_staff=role == Role.ADMINISTRATOR,
            )
        user.groups.add(Group.objects.get(name=role.value))
        people.append((email, role.label))
    return people
