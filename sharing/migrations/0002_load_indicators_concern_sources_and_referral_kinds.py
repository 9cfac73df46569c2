"""Reference data from the domain brief: vulnerability indicators, where concerns come from, and
kinds of referral. Administrators extend and retire these afterwards; this only adds what is
missing, so it never overwrites their edits."""

from django.db import migrations

# (code, name, category, applies to, description)
INDICATORS = [
    (
        "PREG",
        "Pregnancy or recent birth",
        "health",
        "adults",
        "Includes the weeks around birth; affects room sharing and moves.",
    ),
    (
        "DIS-PHYS",
        "Physical disability or mobility need",
        "disability",
        "both",
        "Accessible accommodation, aids.",
    ),
    ("DIS-LEARN", "Learning disability or cognitive impairment", "disability", "both", ""),
    (
        "MH",
        "Mental health condition",
        "mental_health",
        "both",
        "Including trauma-related conditions.",
    ),
    ("SUI", "Risk of suicide or self-harm", "mental_health", "both", "Urgent referral route."),
    (
        "HEALTH",
        "Serious or long-term physical health condition",
        "health",
        "both",
        "Ongoing treatment, medication, dialysis, etc.",
    ),
    ("COMM", "Communicable disease needing public-health management", "health", "both", ""),
    ("SUBST", "Drug or alcohol dependence", "health", "both", ""),
    (
        "CARE",
        "Care and support needs (Care Act assessment)",
        "care",
        "adults",
        "Adult social care.",
    ),
    ("AGE-OLD", "Older person", "care", "adults", "Age threshold set by the team."),
    ("DA", "Domestic abuse", "abuse", "both", "May lead to MARAC."),
    ("SV", "Sexual violence or gender-based violence", "abuse", "both", ""),
    (
        "FGM",
        "Female genital mutilation — survivor or at risk",
        "abuse",
        "both",
        "For known cases in under-18s, regulated health and social-care professionals and teachers must report to the police (FGM Act 2003 s5B); others refer to children's social care.",
    ),
    ("FM-HBA", "Forced marriage or honour-based abuse", "abuse", "both", ""),
    (
        "MSHT",
        "Modern slavery or human trafficking",
        "exploitation",
        "both",
        "May lead to an NRM referral, made only by a first responder organisation (police, local authority, the AIRE provider — not the provider). Adults must consent, children need not; if an adult declines, police and councils file an anonymous Duty to Notify instead.",
    ),
    ("TORT", "Survivor of torture", "abuse", "adults", ""),
    (
        "LGBTQI",
        "LGBTQI+ person at risk of harassment or abuse",
        "harassment",
        "both",
        "Relevant to room sharing.",
    ),
    ("HATE", "Hate crime or harassment", "harassment", "both", ""),
    ("EXPL", "Criminal or financial exploitation (incl. county lines)", "exploitation", "both", ""),
    ("RAD", "Risk of radicalisation", "risk", "both", "Prevent referral route."),
    ("RISK-OTH", "Risk to others / offending behaviour", "risk", "adults", "May involve MAPPA."),
    (
        "UASC-AGE",
        "Age-disputed young person or separated child",
        "children",
        "children",
        "Local authority age assessment, or the Authority's National Age Assessment Board on referral (since March 2023).",
    ),
    (
        "CHILD-HARM",
        "Child at risk of significant harm (abuse or neglect)",
        "children",
        "children",
        "Children's social care.",
    ),
    (
        "CHILD-SEND",
        "Child with disability or special educational needs",
        "children",
        "children",
        "",
    ),
    ("CHILD-EDU", "Child not in school", "children", "children", ""),
    ("CHILD-EXPL", "Child at risk of sexual or criminal exploitation", "children", "children", ""),
    ("CHILD-MISS", "Child missing from home or accommodation", "children", "children", ""),
    ("CARER", "Young carer", "children", "children", ""),
    ("ISOL", "Social isolation or language barrier limiting access to help", "social", "both", ""),
    (
        "MOVE-ON",
        "Risk of homelessness or destitution at discontinuation",
        "social",
        "adults",
        "Move-on support.",
    ),
]

CONCERN_SOURCES = [
    ("housing-officer", "Housing officer or property visit"),
    ("welfare-check", "Welfare check by provider staff"),
    ("aire-provider", "AIRE provider"),
    ("authority", "The Authority"),
    ("self-referral", "Self-referral"),
    ("resident", "Another resident"),
    ("police", "Police"),
    ("health", "Health (GP, NHS)"),
    ("local-authority", "Local authority"),
    ("education", "Education"),
    ("ngo", "NGO or community group"),
    ("anonymous", "Anonymous"),
    ("other", "Other"),
]

REFERRAL_KINDS = [
    ("adult-safeguarding", "Adult safeguarding"),
    ("child-safeguarding", "Child safeguarding (including MASH)"),
    ("marac", "MARAC"),
    ("taf-early-help", "TAF / early help"),
    ("health", "Health (GP, NHS trust)"),
    ("mental-health", "Mental health"),
    ("police", "Police"),
    ("nrm", "Modern slavery / NRM first responder"),
    ("idva", "Domestic-abuse service (IDVA)"),
    ("ngo-support", "NGO support"),
    ("aire-provider", "AIRE provider"),
    ("prevent", "Prevent"),
    ("other", "Other"),
]


def load(apps, schema_editor):
    VulnerabilityIndicator = apps.get_model("sharing", "VulnerabilityIndicator")
    ConcernSource = apps.get_model("sharing", "ConcernSource")
    ReferralKind = apps.get_model("sharing", "ReferralKind")
    for position, (code, name, category, applies_to, description) in enumerate(INDICATORS):
        VulnerabilityIndicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "applies_to": applies_to,
                "description": description,
                "position": position,
            },
        )
    for model, rows in ((ConcernSource, CONCERN_SOURCES), (ReferralKind, REFERRAL_KINDS)):
        for position, (code, name) in enumerate(rows):
            model.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_cases_indicators_escalations_referrals")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
