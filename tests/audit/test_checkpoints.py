"""audit_checkpoint signs the chain head, keeps it outside the database and sends it away."""

import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from audit.checkpoints import Checkpoint
from audit.models import AuditEvent, Verb
from audit.selectors import latest_checkpoint
from tests.audit.tampering import tampering


def _checkpoint() -> str:
    out = StringIO()
    call_command("audit_checkpoint", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_head_is_signed_written_outside_the_database_and_e_mailed_to_compliance(
    chain, checkpoint_settings
):
    chain(5)
    output = _checkpoint()
    (path,) = (checkpoint_settings.AUDIT_CHECKPOINT_DIR).glob("checkpoint-*.json")
    assert f"Checkpoint written to {path}" in output
    written = json.loads(path.read_text())
    head = AuditEvent.objects.get(sequence=5)
    assert written["sequence"] == 5
    assert written["count"] == 5
    assert written["row_hash"] == head.row_hash
    assert len(written["hmac_sha256"]) == 64
    assert written["written_at"].endswith("Z")
    (message,) = mail.outbox
    assert message.to == ["compliance@example.org"]
    assert head.row_hash in message.body
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (path.name, "application/json")
    assert json.loads(content) == written


@pytest.mark.django_db
def test_the_checkpoint_is_recorded_in_the_chain_and_reports_can_print_the_latest(
    chain, checkpoint_settings
):
    assert latest_checkpoint() is None
    chain(3)
    _checkpoint()
    chain(2)
    _checkpoint()
    events = AuditEvent.objects.filter(verb=Verb.CHECKPOINT).order_by("sequence")
    assert [event.detail["sequence"] for event in events] == [3, 6]
    latest = latest_checkpoint()
    assert latest.sequence == 6
    assert latest.row_hash == AuditEvent.objects.get(sequence=6).row_hash
    assert latest.signature_is_valid(checkpoint_settings.AUDIT_CHECKPOINT_KEY.encode())
    assert latest.summary().startswith(
        f"Audit checkpoint: 6 events up to row 6, row hash {latest.row_hash}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("AUDIT_CHECKPOINT_KEY", "AUDIT_CHECKPOINT_KEY is not set"),
        ("COMPLIANCE_EMAIL", "COMPLIANCE_EMAIL is not set"),
    ],
)
def test_with_debug_off_the_key_and_compliance_address_are_required(
    chain, checkpoint_settings, setting, named
):
    chain(2)
    checkpoint_settings.DEBUG = False
    setattr(checkpoint_settings, setting, "")
    with pytest.raises(CommandError, match=named):
        _checkpoint()
    assert not checkpoint_settings.AUDIT_CHECKPOINT_DIR.exists()
    assert not AuditEvent.objects.filter(verb=Verb.CHECKPOINT).exists()


@pytest.mark.django_db
def test_a_broken_chain_is_never_signed(chain, checkpoint_settings):
    chain(4)
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = 'someone else' WHERE sequence = 2"
        )
    with pytest.raises(CommandError, match="broken at row 2"):
        _checkpoint()
    assert not checkpoint_settings.AUDIT_CHECKPOINT_DIR.exists()


@pytest.mark.django_db
def test_a_chain_cut_back_behind_an_earlier_checkpoint_is_never_signed(chain, checkpoint_settings):
    chain(6)
    _checkpoint()
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence > 4")
    with pytest.raises(CommandError, match="truncated"):
        _checkpoint()
    assert len(list(checkpoint_settings.AUDIT_CHECKPOINT_DIR.glob("*.json"))) == 1


@pytest.mark.django_db
def test_an_empty_log_has_no_head_to_sign(checkpoint_settings):
    with pytest.raises(CommandError, match="empty"):
        _checkpoint()


def test_a_signature_covers_every_field_of_the_head():
    key = b"k"
    signed = Checkpoint(
        sequence=9, row_hash="a" * 64, count=9, written_at="2026-11-23T00:00:00Z"
    ).signed(key)
    assert signed.signature_is_valid(key)
    for change in ({"sequence": 8}, {"row_hash": "b" * 64}, {"count": 8}, {"written_at": "x"}):
        forged = Checkpoint(**{**signed.__dict__, **change})
        assert not forged.signature_is_valid(key)
