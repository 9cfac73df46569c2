"""Refusals: a change the rules do not allow, said for the person who asked.

Every refusal of the meetings app is a `Refused`, so a page shows any of them the same way.
"""


class Refused(Exception):
    """A change the rules do not allow; the message says why, for the person who asked."""


class CaseItemRefused(Refused):
    """The case was not listed or shared, and nothing was written. `refusals` pairs each
    agency not covered with the reason, for the page to name them one by one; `consent_lacking`
    are those of them that the Authority's consent would cover (the rest lack an agreement)."""

    def __init__(self, message: str, refusals=(), consent_lacking=()):
        super().__init__(message)
        self.refusals = list(refusals)
        self.consent_lacking = list(consent_lacking)


class PaperRefused(Refused):
    """An uploaded paper is empty, too large or of a type not accepted."""
