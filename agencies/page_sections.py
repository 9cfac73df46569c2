"""Sections other apps add to the agency page.

Dependencies point one way (agencies ← sharing ← meetings), so the directory cannot import
meetings to show an agency's forums. Instead each later app registers a section here when it
starts, and the agency page renders whatever is registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AgencySection:
    template: str
    # (user, agency) -> the template's context, or None when there is nothing to show this person
    context: Callable


SECTIONS: list[AgencySection] = []


def register(section: AgencySection) -> None:
    if section not in SECTIONS:
        SECTIONS.append(section)


def sections_for(*, user, agency) -> list[tuple[str, dict]]:
    rendered = []
    for section in SECTIONS:
        context = section.context(user=user, agency=agency)
        if context is not None:
            rendered.append((section.template, context))
    return rendered
