"""How much data each size of the national-scale generator makes: one table, so every stage
scales from it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    agencies: int
    contacts_per_agency: int
    users: int
    cases: int
    indicators_per_case: int
    referrals: int
    consents: int
    disclosures: int
    forums: int
    meetings: int
    actions: int
    audit_events: int
    # The records a benchmark looks for (home.scale.landmarks): one case with a long history,
    # one person invited to many forums, one forum with many named members.
    busy_case_disclosures: int
    busy_person_forums: int
    big_forum_members: int
    notifications_per_user: int


# `uk` is issue 25's national picture; `small` is about a hundredth of it, for tests; `medium`
# is three times `small`, so a test can see whether a page's query count grows with the data.
SIZES = {
    size.name: size
    for size in (
        Size(
            name="uk",
            agencies=500,
            contacts_per_agency=6,
            users=300,
            cases=90_000,
            indicators_per_case=4,
            referrals=60_000,
            consents=40_000,
            disclosures=80_000,
            forums=300,
            meetings=6_000,
            actions=60_000,
            audit_events=1_000_000,
            busy_case_disclosures=2_000,
            busy_person_forums=40,
            big_forum_members=40,
            notifications_per_user=30,
        ),
        Size(
            name="medium",
            agencies=60,
            contacts_per_agency=6,
            users=90,
            cases=2_700,
            indicators_per_case=4,
            referrals=1_800,
            consents=1_200,
            disclosures=2_400,
            forums=18,
            meetings=180,
            actions=1_800,
            audit_events=30_000,
            busy_case_disclosures=60,
            busy_person_forums=12,
            big_forum_members=20,
            notifications_per_user=10,
        ),
        Size(
            name="small",
            agencies=20,
            contacts_per_agency=6,
            users=30,
            cases=900,
            indicators_per_case=4,
            referrals=600,
            consents=400,
            disclosures=800,
            forums=6,
            meetings=60,
            actions=600,
            audit_events=10_000,
            busy_case_disclosures=20,
            busy_person_forums=4,
            big_forum_members=10,
            notifications_per_user=5,
        ),
    )
}
