"""What one run of the generator knows as it goes: its size, its random source, its clock and
the records earlier stages made, kept as plain values so later stages need not read them back."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from home.scale.sizes import Size


@dataclass
class World:
    size: Size
    random: random.Random
    now: datetime
    # Filled by the stages, in order.
    authority_agency: int = 0
    team_agency: int = 0
    agencies: dict = field(default_factory=dict)  # id -> {"name", "kind", "current", ...}
    recipients: list = field(default_factory=list)  # agencies a consent may name
    spoc_of_agency: dict = field(default_factory=dict)  # agency id -> contact id
    local_authorities_of_region: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)  # role -> [user ids]
    email_of: dict = field(default_factory=dict)  # user id -> e-mail address
    agency_of: dict = field(default_factory=dict)  # user id -> agency id
    cases: list = field(default_factory=list)  # dicts with what later stages need
    busy_case: int = 0
    busy_person: int = 0
    next_referral_ids: object = None  # the keys left for referrals not sent
    audit: list = field(default_factory=list)  # (occurred_at, actor, verb, type, id, label, detail)

    @classmethod
    def begin(cls, size: Size, seed: int) -> "World":
        # Whole minutes, so two runs on the same day with the same seed make the same rows.
        now = timezone.now().replace(second=0, microsecond=0)
        # Made-up records want the same data from the same seed, not unpredictability.
        return cls(size=size, random=random.Random(seed), now=now)  # noqa: S311

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        """A random moment from `start` up to (not including) `end`, to the second."""
        seconds = max(int((end - start).total_seconds()), 1)
        return start + timedelta(seconds=self.random.randrange(seconds))

    def record(self, occurred_at, actor, verb, target_type, target_id, label, detail=None):
        """An audit event the services would have written for this record, kept until the
        chain is written in one pass at the end (home/scale/audit_trail.py)."""
        self.audit.append(
            (occurred_at, actor, verb, target_type, str(target_id), label, detail or {})
        )
