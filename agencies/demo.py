"""Demo directory and people for `seed_demo`. Idempotent: running it twice changes nothing.

Public bodies carry their real names so the directory reads true; every address, phone number
(Ofcom's drama ranges) and e-mail address (the reserved .example domain) is made up.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from agencies.models import (
    Agency,
    AgencyKind,
    Contact,
    LocalAuthority,
    ReferralRoute,
    Region,
    User,
)
from core.roles import Role

K = AgencyKind

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


# Agreement states, relative to the day the demo is seeded.
CURRENT, OVERDUE, MISSING = "current", "overdue", "missing"

# (name, kind, areas: local authority names, or a region name for the whole region, agreement,
#  part of, phone, services, contacts as (name, job title, single point of contact))
DIRECTORY = [
    (
        "The Authority – Asylum Support Safeguarding Hub",
        K.AUTHORITY,
        ["North West", "West Midlands", "East Midlands", "East of England"],
        CURRENT,
        None,
        "0300 123 0900",
        "Asylum support decisions; written consent to share; safeguarding hub for escalations.",
        [
            ("Ada Okonjo", "Safeguarding hub lead", True),
            ("Tom Fairweather", "Contract assurance manager", False),
        ],
    ),
    (
        "Northgate Housing Partnership",
        K.HOUSING_PROVIDER,
        ["North West", "West Midlands", "East Midlands", "East of England"],
        CURRENT,
        None,
        "0161 496 0100",
        "Initial, contingency and dispersed accommodation; welfare checks; safeguarding team.",
        [("Helen Marsh", "Head of safeguarding", True)],
    ),
    (
        "AIRE Advice Line",
        K.AIRE_PROVIDER,
        ["North West", "West Midlands", "East Midlands", "East of England"],
        CURRENT,
        None,
        "0808 800 0630",
        "Free 24/7 advice, issue reporting and eligibility assistance; NRM first responder.",
        [("Bilal Rahman", "Safeguarding referrals lead", True)],
    ),
    (
        "Independent Interpreting Co-operative",
        K.OTHER,
        ["Manchester", "Birmingham", "Leicester", "Peterborough"],
        MISSING,
        None,
        "0121 496 0555",
        "Face-to-face and telephone interpreting in over 60 languages.",
        [("Mariam Yusuf", "Bookings coordinator", True)],
    ),
    # North West
    (
        "Manchester City Council Children's Services",
        K.CHILDRENS_SERVICES,
        ["Manchester"],
        CURRENT,
        None,
        "0161 496 0200",
        "Children's social care: assessments, child protection, looked-after children.",
        [
            ("Claire Donnelly", "Service lead, children in need", True),
            ("Femi Adeyemi", "Social worker", False),
        ],
    ),
    (
        "Manchester Multi-Agency Safeguarding Hub",
        K.CHILDRENS_SERVICES,
        ["Manchester"],
        CURRENT,
        "Manchester City Council Children's Services",
        "0161 496 0201",
        "Single front door for concerns about a child: triage with police and health.",
        [("Rachel Kerr", "MASH team manager", True)],
    ),
    (
        "Salford City Council Adult Social Care",
        K.ADULT_SOCIAL_CARE,
        ["Salford"],
        CURRENT,
        None,
        "0161 496 0210",
        "Care Act assessments, adult safeguarding enquiries.",
        [("Gareth Lloyd", "Safeguarding adults manager", True)],
    ),
    (
        "Bolton Council Housing Options",
        K.LOCAL_AUTHORITY_HOUSING,
        ["Bolton"],
        CURRENT,
        None,
        "01204 496 020",
        "Homelessness prevention and move-on advice after a decision.",
        [("Sana Iqbal", "Housing options officer", True)],
    ),
    (
        "Greater Manchester Police Public Protection",
        K.POLICE,
        [
            "Manchester",
            "Salford",
            "Bolton",
            "Trafford",
            "Oldham",
            "Rochdale",
            "Stockport",
            "Tameside",
            "Wigan",
            "Bury",
        ],
        CURRENT,
        None,
        "0161 496 0230",
        "Public protection: domestic abuse, child protection, modern slavery, MARAC chair.",
        [
            ("DS Paul Whitaker", "MARAC chair", True),
            ("DC Leanne Shaw", "Modern slavery coordinator", False),
        ],
    ),
    (
        "Manchester University NHS Foundation Trust",
        K.NHS_TRUST,
        ["Manchester", "Trafford"],
        CURRENT,
        None,
        "0161 496 0240",
        "Acute hospitals, maternity, named nurses for safeguarding.",
        [("Joanne Pritchard", "Named nurse, adult safeguarding", True)],
    ),
    (
        "NHS Greater Manchester Integrated Care",
        K.INTEGRATED_CARE_BOARD,
        ["Manchester", "Salford", "Bolton", "Trafford"],
        CURRENT,
        None,
        "0161 496 0250",
        "Commissioning; designated safeguarding professionals; asylum health pathway.",
        [("Dr Imran Siddiqui", "Designated doctor, safeguarding", True)],
    ),
    (
        "Cheetham Hill Medical Practice",
        K.PRIMARY_CARE,
        ["Manchester"],
        MISSING,
        None,
        "0161 496 0260",
        "GP registration and primary care for people in initial accommodation.",
        [("Dr Aisha Bello", "GP safeguarding lead", True)],
    ),
    (
        "Probation Service – North West",
        K.PROBATION,
        ["North West"],
        CURRENT,
        None,
        "0161 496 0270",
        "Supervision in the community; MAPPA.",
        [("Kevin Doyle", "Senior probation officer", True)],
    ),
    (
        "Liverpool City Council Education Inclusion",
        K.EDUCATION,
        ["Liverpool"],
        CURRENT,
        None,
        "0151 496 0280",
        "School admissions for new arrivals; education safeguarding.",
        [("Niamh O'Connor", "Education safeguarding adviser", True)],
    ),
    (
        "Greater Manchester Fire and Rescue Service",
        K.FIRE,
        ["Manchester", "Salford", "Bolton", "Trafford"],
        CURRENT,
        None,
        "0161 496 0290",
        "Home fire safety checks in dispersed accommodation.",
        [("Andy Brennan", "Prevention manager", True)],
    ),
    (
        "North West Regional Strategic Migration Partnership",
        K.STRATEGIC_MIGRATION_PARTNERSHIP,
        ["North West"],
        CURRENT,
        None,
        "0161 496 0300",
        "Regional coordination of asylum dispersal; executive board and sub-regional groups.",
        [("Louise Grant", "Programme manager", True)],
    ),
    (
        "Refugee Action Network",
        K.NGO,
        ["Manchester", "Salford", "Bolton"],
        CURRENT,
        None,
        "0161 496 0310",
        "Casework, IDVA support, English classes and befriending.",
        [("Pat Partner", "IDVA", True), ("Yohannes Tesfaye", "Caseworker", False)],
    ),
    (
        "St Anne's Community Welcome Centre",
        K.FAITH_OR_COMMUNITY,
        ["Manchester"],
        MISSING,
        None,
        "0161 496 0320",
        "Drop-in, clothing bank and community meals.",
        [("Rev. Mary Collins", "Centre coordinator", True)],
    ),
    # West Midlands
    (
        "Birmingham Children's Trust",
        K.CHILDRENS_SERVICES,
        ["Birmingham"],
        CURRENT,
        None,
        "0121 496 0400",
        "Children's social care for Birmingham; children's advice and support service.",
        [("Deborah Hughes", "Head of service, front door", True)],
    ),
    (
        "Birmingham City Council Adult Social Care",
        K.ADULT_SOCIAL_CARE,
        ["Birmingham"],
        CURRENT,
        None,
        "0121 496 0410",
        "Adult safeguarding enquiries and Care Act assessments.",
        [("Rajesh Patel", "Safeguarding lead", True)],
    ),
    (
        "Coventry City Council Housing",
        K.LOCAL_AUTHORITY_HOUSING,
        ["Coventry"],
        CURRENT,
        None,
        "024 7649 6042",
        "Housing advice, homelessness prevention.",
        [("Emma Walsh", "Housing solutions manager", True)],
    ),
    (
        "West Midlands Police Public Protection Unit",
        K.POLICE,
        ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"],
        CURRENT,
        None,
        "0121 496 0430",
        "Domestic abuse, child abuse and vulnerable adult investigations.",
        [("DI Sarah Bennett", "Detective inspector", True)],
    ),
    (
        "Birmingham and Solihull Mental Health NHS Foundation Trust",
        K.NHS_TRUST,
        ["Birmingham", "Solihull"],
        CURRENT,
        None,
        "0121 496 0440",
        "Adult mental health services, crisis teams, perinatal mental health.",
        [("Daniel Osei", "Safeguarding lead nurse", True)],
    ),
    (
        "NHS Birmingham and Solihull ICB",
        K.INTEGRATED_CARE_BOARD,
        ["Birmingham", "Solihull"],
        CURRENT,
        None,
        "0121 496 0450",
        "Commissioning; designated nurse for safeguarding.",
        [("Fiona Clarke", "Designated nurse", True)],
    ),
    (
        "Lozells Health Centre",
        K.PRIMARY_CARE,
        ["Birmingham"],
        MISSING,
        None,
        "0121 496 0460",
        "GP practice with an asylum-seeker health clinic.",
        [("Dr Hassan Ali", "GP partner", True)],
    ),
    (
        "Probation Service – West Midlands",
        K.PROBATION,
        ["West Midlands"],
        CURRENT,
        None,
        "0121 496 0470",
        "Supervision in the community; MAPPA.",
        [("Lorraine Evans", "Senior probation officer", True)],
    ),
    (
        "Birmingham City Council Education Safeguarding",
        K.EDUCATION,
        ["Birmingham"],
        CURRENT,
        None,
        "0121 496 0480",
        "Schools' safeguarding advice; children missing education.",
        [("Tariq Mahmood", "Education safeguarding officer", True)],
    ),
    (
        "West Midlands Fire Service",
        K.FIRE,
        ["Birmingham", "Coventry", "Sandwell"],
        CURRENT,
        None,
        "0121 496 0490",
        "Safe and well visits.",
        [("Jas Gill", "Community safety lead", True)],
    ),
    (
        "West Midlands Strategic Migration Partnership",
        K.STRATEGIC_MIGRATION_PARTNERSHIP,
        ["West Midlands"],
        CURRENT,
        None,
        "0121 496 0500",
        "Regional migration coordination; strategic board.",
        [("Catherine Moore", "Strategic lead", True)],
    ),
    (
        "Coventry Sanctuary Network",
        K.NGO,
        ["Coventry"],
        MISSING,
        None,
        "024 7649 6051",
        "Advice, destitution support and a women's group.",
        [("Zainab Hussain", "Advice worker", True)],
    ),
    (
        "Sparkhill Community Kitchen",
        K.FAITH_OR_COMMUNITY,
        ["Birmingham"],
        MISSING,
        None,
        "0121 496 0520",
        "Free hot meals and a food parcel service.",
        [("Gurpreet Kaur", "Volunteer coordinator", True)],
    ),
    # East Midlands
    (
        "Nottingham City Council Children's Services",
        K.CHILDRENS_SERVICES,
        ["Nottingham"],
        CURRENT,
        None,
        "0115 496 0600",
        "Children and families direct; child protection.",
        [("Sophie Turner", "Team manager", True)],
    ),
    (
        "Derby City Council Adult Social Care",
        K.ADULT_SOCIAL_CARE,
        ["Derby"],
        CURRENT,
        None,
        "01332 496 061",
        "Adult safeguarding and Care Act assessments.",
        [("Michael Harris", "Safeguarding adults lead", True)],
    ),
    (
        "Leicester City Council Housing Options",
        K.LOCAL_AUTHORITY_HOUSING,
        ["Leicester"],
        CURRENT,
        None,
        "0116 496 0620",
        "Housing options and move-on support.",
        [("Priti Shah", "Housing options manager", True)],
    ),
    (
        "Leicestershire Police",
        K.POLICE,
        ["Leicester", "Leicestershire", "Rutland"],
        OVERDUE,
        None,
        "0116 496 0630",
        "Public protection and the Leicester MARAC.",
        [("DS Mark Riley", "Public protection sergeant", True)],
    ),
    (
        "Nottinghamshire Healthcare NHS Foundation Trust",
        K.NHS_TRUST,
        ["Nottingham", "Nottinghamshire"],
        CURRENT,
        None,
        "0115 496 0640",
        "Mental health and community health services.",
        [("Olivia Grant", "Named professional, safeguarding", True)],
    ),
    (
        "NHS Leicester, Leicestershire and Rutland ICB",
        K.INTEGRATED_CARE_BOARD,
        ["Leicester", "Leicestershire", "Rutland"],
        CURRENT,
        None,
        "0116 496 0650",
        "Commissioning; designated safeguarding team.",
        [("Dr Kwame Mensah", "Designated doctor", True)],
    ),
    (
        "Sneinton Health Centre",
        K.PRIMARY_CARE,
        ["Nottingham"],
        MISSING,
        None,
        "0115 496 0660",
        "GP practice.",
        [("Dr Laura Fields", "GP safeguarding lead", True)],
    ),
    (
        "Probation Service – East Midlands",
        K.PROBATION,
        ["East Midlands"],
        CURRENT,
        None,
        "0115 496 0670",
        "Supervision in the community; MAPPA.",
        [("Steven Webb", "Senior probation officer", True)],
    ),
    (
        "Leicester City Council Education Welfare",
        K.EDUCATION,
        ["Leicester"],
        CURRENT,
        None,
        "0116 496 0680",
        "Admissions and attendance for newly arrived children.",
        [("Anita Desai", "Education welfare officer", True)],
    ),
    (
        "Derbyshire Fire and Rescue Service",
        K.FIRE,
        ["Derby", "Derbyshire"],
        CURRENT,
        None,
        "01332 496 069",
        "Home safety visits in shared accommodation.",
        [("Chris Holt", "Prevention officer", True)],
    ),
    (
        "East Midlands Strategic Migration Partnership",
        K.STRATEGIC_MIGRATION_PARTNERSHIP,
        ["East Midlands"],
        CURRENT,
        None,
        "0115 496 0700",
        "Regional migration coordination.",
        [("Jennifer Lowe", "Partnership manager", True)],
    ),
    (
        "Nottingham Sanctuary Project",
        K.NGO,
        ["Nottingham"],
        MISSING,
        None,
        "0115 496 0710",
        "Advice, advocacy and a men's wellbeing group.",
        [("Ahmed Farah", "Project worker", True)],
    ),
    (
        "Highfields Community Centre",
        K.FAITH_OR_COMMUNITY,
        ["Leicester"],
        MISSING,
        None,
        "0116 496 0720",
        "Community hub, ESOL and youth activities.",
        [("Shabnam Begum", "Centre manager", True)],
    ),
    # East of England
    (
        "Essex County Council Children and Families",
        K.CHILDRENS_SERVICES,
        ["Essex"],
        MISSING,
        None,
        "01632 960 800",
        "Children's social care and the Essex front door.",
        [("Victoria Price", "Head of front door", True)],
    ),
    (
        "Suffolk County Council Adult Social Care",
        K.ADULT_SOCIAL_CARE,
        ["Suffolk"],
        CURRENT,
        None,
        "01632 960 810",
        "Customer first; adult safeguarding enquiries.",
        [("Robert King", "Safeguarding manager", True)],
    ),
    (
        "Peterborough City Council Housing Needs",
        K.LOCAL_AUTHORITY_HOUSING,
        ["Peterborough"],
        CURRENT,
        None,
        "01632 960 820",
        "Housing needs and homelessness prevention.",
        [("Lisa Green", "Housing needs manager", True)],
    ),
    (
        "Norfolk Constabulary",
        K.POLICE,
        ["Norfolk"],
        CURRENT,
        None,
        "01632 960 830",
        "Safeguarding and investigations; MARAC.",
        [("DS Claire Ward", "Safeguarding sergeant", True)],
    ),
    (
        "Cambridgeshire and Peterborough NHS Foundation Trust",
        K.NHS_TRUST,
        ["Cambridgeshire", "Peterborough"],
        CURRENT,
        None,
        "01632 960 840",
        "Mental health and community services.",
        [("Nathan Cole", "Safeguarding lead", True)],
    ),
    (
        "NHS Norfolk and Waveney ICB",
        K.INTEGRATED_CARE_BOARD,
        ["Norfolk", "Suffolk"],
        CURRENT,
        None,
        "01632 960 850",
        "Commissioning; designated safeguarding professionals.",
        [("Dr Ruth Abbott", "Designated nurse", True)],
    ),
    (
        "Thetford Family Practice",
        K.PRIMARY_CARE,
        ["Norfolk"],
        MISSING,
        None,
        "01632 960 860",
        "GP practice.",
        [("Dr Sam Whitfield", "GP partner", True)],
    ),
    (
        "Probation Service – East of England",
        K.PROBATION,
        ["East of England"],
        CURRENT,
        None,
        "01632 960 870",
        "Supervision in the community; MAPPA.",
        [("Jade Morris", "Senior probation officer", True)],
    ),
    (
        "Norfolk County Council Education Inclusion",
        K.EDUCATION,
        ["Norfolk"],
        CURRENT,
        None,
        "01632 960 880",
        "Inclusion and admissions for new arrivals.",
        [("Peter Lang", "Inclusion officer", True)],
    ),
    (
        "Essex County Fire and Rescue Service",
        K.FIRE,
        ["Essex"],
        CURRENT,
        None,
        "01632 960 890",
        "Home fire safety checks.",
        [("Becky Stone", "Community safety manager", True)],
    ),
    (
        "East of England Strategic Migration Partnership",
        K.STRATEGIC_MIGRATION_PARTNERSHIP,
        ["East of England"],
        CURRENT,
        None,
        "01632 960 900",
        "Regional migration coordination; strategic board.",
        [("Hannah Reid", "Programme lead", True)],
    ),
    (
        "Norwich Welcome Project",
        K.NGO,
        ["Norfolk"],
        MISSING,
        None,
        "01632 960 910",
        "Befriending, advice and a family support worker.",
        [("Elif Demir", "Family support worker", True)],
    ),
    (
        "Luton Interfaith Community Hub",
        K.FAITH_OR_COMMUNITY,
        ["Luton"],
        MISSING,
        None,
        "01632 960 920",
        "Faith leaders' network, community events and a food bank.",
        [("Imam Yusuf Khan", "Chair", True)],
    ),
]

# Partnership managers' areas: "my areas" first in the directory.
DEMO_AREAS = {"partnerships@demo.partnerhub.test": ["Manchester", "Salford", "Bolton", "Trafford"]}


def _agreement_dates(state: str) -> dict:
    today = timezone.localdate()
    if state == CURRENT:
        # Signed before the thirteen months of history the demo lays down (sharing's
        # demo_history), so the gate lets those months' referrals through.
        signed = today - timedelta(days=450)
        return {
            "information_sharing_agreement_signed_on": signed,
            "information_sharing_agreement_review_due_on": signed + timedelta(days=730),
        }
    if state == OVERDUE:
        signed = today - timedelta(days=800)
        return {
            "information_sharing_agreement_signed_on": signed,
            "information_sharing_agreement_review_due_on": signed + timedelta(days=730),
        }
    return {}


def _fill_blanks(instance, values: dict) -> None:
    """Complete an entry made by an earlier demo without overwriting anything someone changed."""
    blank = {name: value for name, value in values.items() if not getattr(instance, name)}
    if blank:
        for name, value in blank.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(blank))


# How each kind of agency takes referrals: statutory partners through their own secure
# channels (CJSM for the police, NHSmail for health), charities with Partnerhub accounts here.
PREFERRED_ROUTES = {
    AgencyKind.POLICE: ReferralRoute.OWN_CHANNEL,
    AgencyKind.NHS_TRUST: ReferralRoute.OWN_CHANNEL,
    AgencyKind.PRIMARY_CARE: ReferralRoute.OWN_CHANNEL,
    AgencyKind.NGO: ReferralRoute.PARTNERHUB,
}


def seed_directory() -> dict[str, Agency]:
    regions = {region.name: region for region in Region.objects.all()}
    local_authorities = {la.name: la for la in LocalAuthority.objects.all()}
    agencies: dict[str, Agency] = {}
    for name, kind, areas, agreement, parent, phone, services, contacts in DIRECTORY:
        domain = "-".join(slugify(name).split("-")[:4]) + ".example"
        agency, _ = Agency.objects.get_or_create(name=name, defaults={"kind": kind})
        _fill_blanks(
            agency,
            {
                "parent": agencies.get(parent),
                "phone": phone,
                "email": f"enquiries@{domain}",
                "secure_email": f"safeguarding@{domain}" if agreement != MISSING else "",
                "website": f"https://www.{domain}",
                "address": f"{phone[-3:]} Station Road\n{(areas[0])}",
                "services": services,
                "how_to_refer": "Phone the duty line or e-mail the secure address with the referral form.",
                "referral_route": PREFERRED_ROUTES.get(kind, ReferralRoute.SECURE_LINK),
                "referral_criteria": "Adults and children living in the areas covered.",
                "out_of_hours": "Emergency duty team via the main number; 999 if someone is in danger.",
                **_agreement_dates(agreement),
            },
        )
        if not agency.local_authorities.exists() and not agency.regions.exists():
            agency.regions.set([regions[area] for area in areas if area in regions])
            agency.local_authorities.set(
                [local_authorities[area] for area in areas if area in local_authorities]
            )
        for full_name, job_title, single_point in contacts:
            email = f"{slugify(full_name).replace('-', '.')}@{domain}"
            Contact.objects.get_or_create(
                agency=agency,
                full_name=full_name,
                defaults={
                    "job_title": job_title,
                    "email": email,
                    "phone": phone,
                    "is_single_point_of_contact": single_point,
                },
            )
        agencies[name] = agency
    return agencies


def seed() -> list[tuple[str, str]]:
    seed_directory()
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
        if email in DEMO_AREAS and not user.assigned_local_authorities.exists():
            user.assigned_local_authorities.set(
                LocalAuthority.objects.filter(name__in=DEMO_AREAS[email])
            )
        Contact.objects.filter(
            agency=user.agency, full_name=user.full_name, user__isnull=True
        ).update(user=user)
        people.append((email, role.label))
    return people
