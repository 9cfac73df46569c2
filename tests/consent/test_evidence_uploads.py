"""Written evidence of consent is checked by size and by what its content really is."""

import base64
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sharing.models import Consent, DataCategory, Purpose
from sharing.services import record_written_consent
from tests.consent.compound_files import bare_compound_file, outlook_message, word_document
from tests.sample_files import PDF

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64
# A 2 x 2 pixel greyscale JPEG, as a camera or scanner app writes it (JFIF).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a"
    "HBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAACAAIBAREA/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1Fh"
    "ByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZ"
    "WmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXG"
    "x8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ACv/2Q=="
)
EML = (
    b"From: Jo Official <jo.official@authority.example>\r\n"
    b"To: safeguarding@provider.example\r\n"
    b"Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n"
    b"Subject: Consent to share PH-2026-000001\r\n\r\n"
    b"The Authority consents to sharing identity details with the police.\r\n"
)


def _record(case, police, officer, upload):
    now = timezone.now()
    return record_written_consent(
        case=case,
        recipients=[police],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY],
        valid_from=now,
        valid_until=now + timedelta(days=30),
        granted_by_official="Jo Official, Safeguarding Hub lead",
        granted_at=now,
        evidence=upload,
        actor=officer,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [
        ("letter.pdf", PDF, "application/pdf"),
        ("scan.png", PNG, "image/png"),
        ("scan.jpg", JPEG, "image/jpeg"),
        ("consent.eml", EML, "message/rfc822"),
        ("consent.msg", outlook_message(), "application/vnd.ms-outlook"),
    ],
)
def test_a_letter_image_or_email_is_accepted_and_fingerprinted(
    case, police, officer, settings, tmp_path, name, content, expected_type
):
    settings.MEDIA_ROOT = tmp_path
    consent = _record(case, police, officer, SimpleUploadedFile(name, content))
    assert consent.evidence_content_type == expected_type
    assert len(consent.evidence_digest) == 64
    assert consent.evidence.storage.exists(consent.evidence.name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.pdf", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        ("program.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "must be a PDF"),
        ("letter.png", PDF, "content is not that kind of file"),
        ("notes.txt", b"just some text", "must be a PDF"),
        ("consent.eml", b"not really an e-mail at all", "no sender or date"),
        ("photo.png", JPEG, "content is not that kind of file"),
        ("consent.pdf", outlook_message(), "content is not that kind of file"),
        ("consent.msg", word_document(), "must be a PDF"),
        ("consent.msg", bare_compound_file(), "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_or_disguised_files_are_refused_and_nothing_is_saved(
    case, police, officer, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as caught:
        _record(case, police, officer, SimpleUploadedFile(name, content))
    assert message in str(caught.value)
    assert not Consent.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(case, police, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PARTNERHUB_EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        _record(case, police, officer, SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)))
    assert "smaller than 1 MB" in str(caught.value)
    assert not Consent.objects.exists()
