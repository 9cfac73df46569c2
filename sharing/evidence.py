"""Checks on uploaded written evidence of consent: size, and type judged by content."""

import hashlib
from email import policy
from email.parser import BytesParser
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError

# Content type → the file endings a person would give such a file. A file whose ending does
# not match what its content says it is (a disguised file) is refused.
ACCEPTED_TYPES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "message/rfc822": {".eml"},
    "application/vnd.ms-outlook": {".msg"},
}
# libmagic names an OLE container (Outlook message, Word document, ...) from its directory, which
# may lie beyond the first sectors: an unnamed one is looked at whole, and one that is still
# unnamed is not an Outlook message, whatever its name says.
UNNAMED_OLE_CONTAINERS = {"application/cdfv2", "application/x-ole-storage"}
HUMAN_TYPES = "a PDF, PNG or JPEG image, or an e-mail saved as .eml or .msg"


def check_evidence(upload) -> tuple[str, str]:
    """Refuse an upload that is too large or not what it claims; return (content type, digest)."""
    limit = settings.PARTNERHUB_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file must be smaller than {limit // (1024 * 1024)} MB", code="too_large"
        )
    if upload.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    upload.seek(0)
    body = upload.read()
    content_type = magic.from_buffer(body[:8192], mime=True).lower()
    if content_type in UNNAMED_OLE_CONTAINERS:
        content_type = magic.from_buffer(body, mime=True).lower()
    ending = PurePath(upload.name).suffix.lower()
    if content_type == "text/plain" and ending == ".eml":
        content_type = "message/rfc822"
    if content_type not in ACCEPTED_TYPES:
        raise ValidationError(f"The file must be {HUMAN_TYPES}", code="wrong_type")
    if ending not in ACCEPTED_TYPES[content_type]:
        raise ValidationError(
            f"The file's name ends {ending or 'with no extension'} but its content is not that "
            f"kind of file. Upload {HUMAN_TYPES}",
            code="disguised",
        )
    if content_type == "message/rfc822":
        message = BytesParser(policy=policy.default).parsebytes(body)
        if not message["From"] or not message["Date"]:
            raise ValidationError(
                "The e-mail file has no sender or date; save the whole message as .eml",
                code="bad_email",
            )
    upload.seek(0)
    return content_type, hashlib.sha256(body).hexdigest()
