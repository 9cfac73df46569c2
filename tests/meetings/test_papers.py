"""Agenda papers: checked by content and size, stored through the storage API, and downloaded
only by people who may see the meeting."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent, Verb
from meetings import services
from meetings.models import Paper
from meetings.papers import PaperRefused
from tests.sample_files import PDF

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def item(marac, generate, partnership_manager):
    meeting = generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]
    return services.add_agenda_item(
        meeting=meeting, title="Performance report", actor=partnership_manager
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        (
            "notes.docx",
            _office("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            _office("xl"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("minutes.odt", _odt(), "application/vnd.oasis.opendocument.text"),
        ("notes.txt", b"Plain notes for the meeting.\n", "text/plain"),
        ("chart.png", PNG, "image/png"),
    ],
)
def test_allowed_papers_are_stored_under_a_generated_name(
    item, partnership_manager, name, content, content_type
):
    paper = services.add_paper(
        item=item, uploaded=SimpleUploadedFile(name, content), actor=partnership_manager
    )
    assert paper.content_type == content_type
    assert paper.original_name == name
    assert name not in paper.file.name
    assert paper.file.name.startswith("meetings/papers/")
    with paper.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "must be a PDF",
        ),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "must be a PDF"),
        ("report.pdf", b"This is really text pretending to be a PDF", "do not match its name"),
        ("archive.zip", _office("other"), "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_papers_of_other_types_or_disguised_are_refused(
    item, partnership_manager, name, content, message
):
    with pytest.raises(PaperRefused, match=message):
        services.add_paper(
            item=item, uploaded=SimpleUploadedFile(name, content), actor=partnership_manager
        )
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_papers_over_the_size_limit_are_refused(item, partnership_manager, settings):
    settings.PARTNERHUB_PAPER_MAX_BYTES = 1024 * 1024
    large = PDF + b"0" * (1024 * 1024)
    with pytest.raises(PaperRefused, match="smaller than 1 MB"):
        services.add_paper(
            item=item, uploaded=SimpleUploadedFile("big.pdf", large), actor=partnership_manager
        )


@pytest.mark.django_db
def test_upload_page_shows_the_refusal_at_the_field(item, partnership_manager_client):
    response = partnership_manager_client.post(
        reverse("meetings:paper-upload", args=[item.pk]),
        {"file": SimpleUploadedFile("page.html", b"<html><script>x</script></html>")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_file"' in html
    assert "must be a PDF" in html


@pytest.mark.django_db
def test_invitees_download_papers_and_the_download_is_audited(
    item, partnership_manager, partner_client, partner_user
):
    paper = services.add_paper(
        item=item, uploaded=SimpleUploadedFile("report.pdf", PDF), actor=partnership_manager
    )
    response = partner_client.get(reverse("meetings:paper-download", args=[paper.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="report.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(
        verb=Verb.DOWNLOADED, object_id=str(paper.pk), actor=partner_user
    ).exists()


@pytest.mark.django_db
def test_people_who_cannot_see_the_meeting_cannot_download_its_papers(
    item, partnership_manager, compliance_client, client, make_user, make_agency
):
    paper = services.add_paper(
        item=item, uploaded=SimpleUploadedFile("report.pdf", PDF), actor=partnership_manager
    )
    url = reverse("meetings:paper-download", args=[paper.pk])
    assert compliance_client.get(url).status_code == 404
    client.force_login(make_user("partner", agency=make_agency("Another Charity")))
    assert client.get(url).status_code == 404
