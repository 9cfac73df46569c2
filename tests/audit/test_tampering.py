"""Tampering as a database owner could, with the triggers switched off: verify_audit finds it.

An edit, a removal, an insertion or a swap breaks the chain by itself. Cutting the tail or
rewriting the chain with recomputed hashes leaves a chain that verifies on its own; only a
signed checkpoint held outside the database shows it, and these tests show both halves.
"""

import json

import pytest
from django.db.models import F

from audit import checkpoints
from audit.chain import HASHED_FIELDS, row_digest
from audit.models import AuditEvent
from audit.selectors import ChainCheck, check_chain
from audit.services import write_checkpoint
from tests.audit.tampering import tampering, verify


def _edit_one_field():
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = '999' WHERE sequence = 4")


def _delete_a_row():
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 5")


def _delete_the_first_row():
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 1")


def _insert_a_row():
    # A well-formed forged row at 5, its hash correct and linked to row 4, the rest moved up.
    with tampering():
        AuditEvent.objects.filter(sequence__gte=5).update(sequence=F("sequence") + 1000)
        AuditEvent.objects.filter(sequence__gte=1000).update(sequence=F("sequence") - 999)
        before = AuditEvent.objects.values(*HASHED_FIELDS, "row_hash").get(sequence=4)
        forged = {**before, "sequence": 5, "verb": "viewed", "previous_hash": before["row_hash"]}
        forged["row_hash"] = row_digest(forged)
        AuditEvent.objects.create(**forged)


def _append_a_row_out_of_sequence():
    with tampering():
        last = AuditEvent.objects.values(*HASHED_FIELDS, "row_hash").get(sequence=10)
        forged = {**last, "sequence": 15, "previous_hash": last["row_hash"]}
        forged["row_hash"] = row_digest(forged)
        AuditEvent.objects.create(**forged)


def _swap_two_rows():
    with tampering():
        AuditEvent.objects.filter(sequence=3).update(sequence=1_000_003)
        AuditEvent.objects.filter(sequence=7).update(sequence=3)
        AuditEvent.objects.filter(sequence=1_000_003).update(sequence=7)


def _cut_the_tail():
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence > 7")


def _rewrite_after_an_edit():
    """Change row 4, then recompute every hash after it so the chain links up again."""
    with tampering():
        rows = list(
            AuditEvent.objects.filter(sequence__gte=3)
            .order_by("sequence")
            .values(*HASHED_FIELDS, "row_hash")
        )
        previous = rows[0]["row_hash"]
        for row in rows[1:]:
            if row["sequence"] == 4:
                row["object_label"] = "Case PH-0001 (nothing to see)"
            row["previous_hash"] = previous
            previous = row_digest(row)
            AuditEvent.objects.filter(sequence=row["sequence"]).update(
                object_label=row["object_label"],
                previous_hash=row["previous_hash"],
                row_hash=previous,
            )


CHANGES_FOUND_ALONE = [
    (_edit_one_field, "row 4: its content does not match its hash (altered)"),
    (_delete_a_row, "row 5: missing: the chain jumps from row 4 to row 6"),
    (_delete_the_first_row, "row 1: missing: the chain jumps from the start to row 2"),
    (_insert_a_row, "row 6: its previous hash does not match the row before it"),
    (_append_a_row_out_of_sequence, "row 11: missing: the chain jumps from row 10 to row 15"),
    (_swap_two_rows, "row 3: its previous hash does not match the row before it"),
]
CHANGES_FOUND_ALONE_IDS = ["edit", "delete", "delete-first", "insert", "insert-beyond-end", "swap"]


@pytest.mark.django_db
@pytest.mark.parametrize(("tamper", "named"), CHANGES_FOUND_ALONE, ids=CHANGES_FOUND_ALONE_IDS)
def test_a_change_to_the_rows_is_found_and_the_first_broken_row_named(chain, tamper, named):
    chain(10)
    assert verify()[0]
    tamper()
    passed, output = verify()
    assert not passed
    assert f"Audit chain broken at {named}" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (_cut_the_tail, "row 8: truncated: the chain ends at row 7 but checkpoint"),
        (_rewrite_after_an_edit, "row 10: rewritten: checkpoint"),
    ],
    ids=["cut-tail", "rewrite"],
)
def test_a_cut_tail_or_a_rewritten_chain_passes_alone_and_is_caught_by_a_checkpoint(
    chain, checkpoint_settings, tamper, named
):
    chain(10)
    path = write_checkpoint().path
    tamper()
    passed_alone, alone = verify()
    assert passed_alone, "without a checkpoint the damage is invisible"
    assert "Audit chain intact" in alone
    passed, output = verify("--checkpoint", str(path))
    assert not passed
    assert named in output
    assert str(path) in output


@pytest.mark.django_db
def test_the_checkpoint_written_by_the_job_catches_a_rewrite_too(chain, checkpoint_settings):
    chain(10)
    write_checkpoint()
    _rewrite_after_an_edit()
    passed, output = verify("--all-checkpoints")
    assert not passed
    assert "rewritten" in output


@pytest.mark.django_db
def test_a_checkpoint_edited_to_match_a_rewritten_chain_is_refused_as_forged(
    chain, checkpoint_settings
):
    chain(10)
    path = write_checkpoint().path
    _rewrite_after_an_edit()
    content = json.loads(path.read_text())
    content["row_hash"] = AuditEvent.objects.get(sequence=10).row_hash
    path.write_text(json.dumps(content))
    passed, output = verify("--checkpoint", str(path))
    assert not passed
    assert f"checkpoint {path} is forged or damaged: its HMAC does not match" in output


@pytest.mark.django_db
def test_a_checkpoint_signed_under_another_key_is_refused(chain, checkpoint_settings):
    chain(3)
    checkpoint_settings.AUDIT_CHECKPOINT_KEY = "a key someone guessed"
    path = write_checkpoint().path
    checkpoint_settings.AUDIT_CHECKPOINT_KEY = "the real key"
    passed, output = verify("--checkpoint", str(path))
    assert not passed
    assert "forged or damaged" in output


@pytest.mark.django_db
def test_an_intact_chain_is_consistent_with_its_checkpoints(chain, checkpoint_settings):
    chain(4)
    first = write_checkpoint().path
    chain(3)
    second = write_checkpoint().path
    passed, output = verify("--checkpoint", str(first), "--checkpoint", str(second))
    assert passed
    assert "Audit chain intact: 9 events, consistent with 2 checkpoint(s)." in output


@pytest.mark.django_db
def test_an_unreadable_checkpoint_is_named(chain, checkpoint_settings, tmp_path):
    chain(2)
    missing = tmp_path / "nowhere.json"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    for path in (missing, broken):
        passed, output = verify("--checkpoint", str(path))
        assert not passed
        assert f"checkpoint {path} cannot be read" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [tamper for tamper, _ in CHANGES_FOUND_ALONE] + [_cut_the_tail, _rewrite_after_an_edit],
    ids=[*CHANGES_FOUND_ALONE_IDS, "cut-tail", "rewrite"],
)
@pytest.mark.parametrize("parts", [2, 3, 4, 7])
def test_the_walk_split_into_parts_finds_what_one_walk_finds(
    chain, checkpoint_settings, tamper, parts
):
    # The parts are walked here in turn (inside the test's transaction no other process could
    # read the rows), so every boundary falls somewhere else in the ten rows.
    chain(10)
    anchors = [checkpoints.load(write_checkpoint().path, checkpoints.checkpoint_key())]
    tamper()
    one_walk = check_chain(anchors)
    assert not one_walk.intact
    assert check_chain(anchors, workers=parts, rows_per_worker=1) == one_walk


@pytest.mark.django_db
def test_an_intact_chain_split_into_parts_counts_every_event(chain, checkpoint_settings):
    chain(10)
    anchors = [checkpoints.load(write_checkpoint().path, checkpoints.checkpoint_key())]
    chain(5)
    for parts in (1, 2, 3, 16):
        assert check_chain(anchors, workers=parts, rows_per_worker=1) == ChainCheck(16, None)
