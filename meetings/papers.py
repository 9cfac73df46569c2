"""Checks on uploaded meeting papers: size, and type judged by content, never by name."""

from dataclasses import dataclass
from pathlib import PurePath

import magic
from django.conf import settings

from meetings.refusals import PaperRefused

# Detected type -> the extensions a file of that type may carry, the first being the one stored.
ALLOWED_TYPES = {
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "text/plain": (".txt", ".text", ".csv", ".md"),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
}
ALLOWED_DESCRIPTION = "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), plain text or an image (PNG, JPEG, GIF, WebP)"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Enough for libmagic to look inside an Office file's zip directory.
_SNIFF_BYTES = 256 * 1024


@dataclass(frozen=True)
class CheckedPaper:
    content_type: str
    extension: str
    size: int
    original_name: str


def max_paper_bytes() -> int:
    return getattr(settings, "PARTNERHUB_PAPER_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_paper(uploaded) -> CheckedPaper:
    """Refuse a paper that is empty, too large, or not one of the allowed types by content."""
    limit = max_paper_bytes()
    if uploaded.size == 0:
        raise PaperRefused("The selected file is empty")
    if uploaded.size > limit:
        raise PaperRefused(f"The selected file must be smaller than {limit // (1024 * 1024)} MB")
    uploaded.seek(0)
    head = uploaded.read(_SNIFF_BYTES)
    uploaded.seek(0)
    detected = magic.from_buffer(head, mime=True)
    if detected not in ALLOWED_TYPES:
        raise PaperRefused(f"The selected file must be a {ALLOWED_DESCRIPTION}")
    name = PurePath(uploaded.name or "paper").name[:200]
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED_TYPES[detected]:
        raise PaperRefused(
            "The selected file's contents do not match its name: "
            f"it looks like a {ALLOWED_TYPES[detected][0].lstrip('.').upper()} file"
        )
    return CheckedPaper(
        content_type=detected, extension=extension, size=uploaded.size, original_name=name
    )
