"""A released snapshot (sharing/snapshots.py) laid out as the recipient reads it: each section
under its heading, `Label: value` lines as a summary list, `- ` lines as a bulleted list. The
words are the snapshot's own; only their layout is the page's."""

from dataclasses import dataclass, field

from django import template

from sharing.documents import BULLET, LABELLED_LINE

register = template.Library()


@dataclass
class Section:
    heading: str
    parts: list = field(default_factory=list)


@register.filter
def snapshot_sections(text: str) -> list[Section]:
    sections = []
    for block in (text or "").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        section = Section(heading=lines[0])
        for line in lines[1:]:
            if line.startswith(BULLET):
                kind, value = "item", line[len(BULLET) :]
            elif labelled := LABELLED_LINE.fullmatch(line):
                kind, value = "pair", (labelled["label"], labelled["value"])
            else:
                kind, value = "text", line
            if section.parts and section.parts[-1][0] == kind and kind != "text":
                section.parts[-1][1].append(value)
            else:
                section.parts.append((kind, [value]))
        sections.append(section)
    return sections
