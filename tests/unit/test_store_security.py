"""Security properties of the profile store: no plaintext on disk (canary),
envelopes bound to their place, doctor finds plaintext columns, O(1) passphrase
change, and the HMAC-chained audit log."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from peerdesk.crypto.envelope import FieldCipher, looks_like_envelope
from peerdesk.domain.models import TEMPLATE_SECTIONS, NoteState, NoteTemplate
from peerdesk.errors import AuditChainBroken, CorruptData, WrongPassphrase
from peerdesk.store.health import SENSITIVE_COLUMNS

NEW_PASSPHRASE = "lanterns drifting over the harbor at dusk"


# -- (a) canary: no plaintext of a sensitive field reaches any file -----------------------


def _forms(secret: str) -> list[bytes]:
    return [secret.encode("utf-8"), secret.encode("utf-16-le"), secret.encode("utf-16-be")]


def _files_containing(root: Path, secrets_: list[str]) -> list[str]:
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for secret in secrets_:
            if any(form in data for form in _forms(secret)):
                hits.append(f"{path.relative_to(root)} contains {secret!r}")
    return hits


def test_canary_written_through_every_sensitive_field_never_reaches_disk(
    session, data_dir, passphrase, make_draft, debug_log_file, monkeypatch
):
    # Temp files (SQLite's and Python's) would land inside the scanned tree.
    tmp = data_dir / "tmp"
    tmp.mkdir()
    for var in ("TMPDIR", "SQLITE_TMPDIR"):
        monkeypatch.setenv(var, str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))

    canary = "cnry" + secrets.token_hex(12)
    phone = "".join(secrets.choice("0123456789") for _ in range(15))
    medicaid = "MC" + secrets.token_hex(10).upper()
    dob = date(1931, 7, 23)
    needles = [canary, phone, medicaid, dob.isoformat()]

    p = session.participants.add(
        f"Canary {canary} Person",
        date_of_birth=dob,
        phone=phone,
        medicaid_id=medicaid,
        details=f"details {canary}",
    ).value
    session.participants.update(replace(p, details=f"updated details {canary} again"))
    notes = []
    for template in NoteTemplate:
        body = {s: f"{s} {canary}" for s in TEMPLATE_SECTIONS[template]}
        note = session.notes.create_draft(
            make_draft(p.id, template, body=body, goals=(f"goal {canary}",))
        ).value
        for i in range(3):  # autosave several times
            body = {s: f"{s} v{i} {canary}" for s in TEMPLATE_SECTIONS[template]}
            session.notes.save_draft(
                note.id, make_draft(p.id, template, body=body, goals=(f"goal {i} {canary}",))
            )
        notes.append(note)
    signed = session.notes.sign(notes[0].id).value
    session.notes.add_addendum(signed.id, f"addendum {canary}")
    session.notes.discard_draft(notes[1].id)
    session.notes.import_signed(
        [make_draft(p.id, body={"goal": f"imported {canary}"}, goals=(canary,))] * 3
    )
    session.trips.add(
        date(2024, 5, 2),
        "medical",
        "clinic",
        with_participant=True,
        participant_id=p.id,
        miles=Decimal("12.5"),
        destination=f"destination {canary}",
        notes=f"trip notes {canary}",
    )
    session.lock()
    session.unlock(passphrase)
    assert session.participants.get(p.id).details == f"updated details {canary} again"

    # While open: the WAL has not been checkpointed into the main file yet.
    wal = session.path / "peerdesk.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    assert _files_containing(data_dir, needles) == []

    session.close()
    assert not session.is_unlocked
    scanned = [p for p in data_dir.rglob("*") if p.is_file()]
    assert session.path / "peerdesk.db" in scanned
    assert session.path / "vault.json" in scanned
    assert debug_log_file in scanned and debug_log_file.stat().st_size > 0
    assert _files_containing(data_dir, needles) == []


def test_canary_scan_does_detect_plaintext(data_dir):
    """The scanner itself can fail: a file holding the canary in UTF-16 is found."""
    (data_dir / "leak.bin").write_bytes(b"\x00junk" + "cnry-found".encode("utf-16-le"))
    assert _files_containing(data_dir, ["cnry-found"]) == ["leak.bin contains 'cnry-found'"]


# -- (b) envelopes are bound to their row and field ------------------------------------


@pytest.fixture
def three_people(session):
    return [
        session.participants.add("Avery One", phone="555 0101").value,
        session.participants.add("Blake Two", phone="555 0102").value,
        session.participants.add("Casey Three", phone="555 0103").value,
    ]


def test_envelope_moved_to_another_row_is_corrupt_and_others_stay_readable(session, three_people):
    a, b, c = three_people
    session._db.conn.execute(
        "UPDATE participants SET display_name = (SELECT display_name FROM participants WHERE id = ?)"
        " WHERE id = ?",
        (b.id, a.id),
    )
    session._db.conn.commit()

    with pytest.raises(CorruptData) as err:
        session.participants.get(a.id)
    assert (err.value.table, err.value.record_id, err.value.field) == (
        "participants",
        a.id,
        "display_name",
    )
    assert a.id in str(err.value)

    result = session.participants.list()
    assert result.items == [b, c]
    assert [(e.record_id, e.field) for e in result.damaged] == [(a.id, "display_name")]
    assert session.maintenance.doctor().damaged_records == [str(result.damaged[0])]


def test_envelope_moved_to_another_field_of_the_same_row_is_corrupt(session, three_people):
    a, b, c = three_people
    session._db.conn.execute("UPDATE participants SET profile = display_name WHERE id = ?", (c.id,))
    session._db.conn.commit()

    with pytest.raises(CorruptData) as err:
        session.participants.get(c.id)
    assert (err.value.record_id, err.value.field) == (c.id, "profile")

    result = session.participants.list()
    assert result.items == [a, b]
    assert [(e.table, e.record_id, e.field) for e in result.damaged] == [
        ("participants", c.id, "profile")
    ]


def test_envelope_copied_between_tables_is_corrupt(session, three_people, make_draft):
    a = three_people[0]
    note = session.notes.create_draft(make_draft(a.id, NoteTemplate.FREE, body={"text": "x"})).value
    session._db.conn.execute(
        "UPDATE notes SET goals = (SELECT display_name FROM participants WHERE id = ?) WHERE id = ?",
        (a.id, note.id),
    )
    session._db.conn.commit()
    with pytest.raises(CorruptData) as err:
        session.notes.get(note.id)
    assert (err.value.table, err.value.record_id, err.value.field) == ("notes", note.id, "goals")


def test_flipped_bit_in_an_envelope_is_corrupt(session, three_people):
    a = three_people[0]
    blob = session._db.conn.execute(
        "SELECT display_name FROM participants WHERE id = ?", (a.id,)
    ).fetchone()[0]
    tampered = blob[:-1] + bytes([blob[-1] ^ 0x01])
    session._db.conn.execute(
        "UPDATE participants SET display_name = ? WHERE id = ?", (tampered, a.id)
    )
    session._db.conn.commit()
    with pytest.raises(CorruptData):
        session.participants.get(a.id)
    assert len(session.participants.list().items) == 2


# -- (c) sensitive columns hold only envelopes ------------------------------------------


@pytest.fixture
def every_kind_of_record(session, make_draft):
    p = session.participants.add("Drew Columns", details="likes fishing").value
    session.notes.create_draft(make_draft(p.id, NoteTemplate.FREE, body={"text": "draft"}))
    signed = session.notes.sign(session.notes.create_draft(make_draft(p.id)).value.id).value
    session.notes.add_addendum(signed.id, "late entry")
    session.trips.add(date(2024, 5, 3), "pharmacy", "pharmacy", miles=Decimal(2))
    return p


def test_every_sensitive_column_holds_only_envelopes(session, every_kind_of_record):
    for table, columns in SENSITIVE_COLUMNS.items():
        for column in columns:
            values = [r[0] for r in session._db.conn.execute(f"SELECT {column} FROM {table}")]
            assert values, f"{table} is empty; the check would prove nothing"
            assert all(looks_like_envelope(v) for v in values), f"{table}.{column}"
    report = session.maintenance.doctor()
    assert report.plaintext_columns == []
    assert report.ok, report


PLAINTEXTS = [
    pytest.param(b"Jane Doe", id="name"),
    pytest.param(b"PETER PAN, 12 Mill Rd", id="starts-like-magic"),
    pytest.param(b"PE\x01", id="magic-only"),
]


@pytest.mark.parametrize("value", PLAINTEXTS)
@pytest.mark.parametrize(
    ("table", "column"),
    [(t, c) for t, cols in SENSITIVE_COLUMNS.items() for c in cols],
)
def test_doctor_reports_plaintext_in_a_sensitive_column(
    session, every_kind_of_record, table, column, value
):
    where = " WHERE state = 'draft'" if table == "notes" else ""
    if table == "addenda":  # immutable by trigger; someone with the file can drop it
        session._db.conn.execute("DROP TRIGGER addenda_no_update")
    session._db.conn.execute(
        f"UPDATE {table} SET {column} = ? WHERE rowid = (SELECT min(rowid) FROM {table}{where})",
        (value,),
    )
    session._db.conn.commit()

    report = session.maintenance.doctor()

    assert report.plaintext_columns == [f"{table}.{column}: 1 row(s)"]
    assert not report.ok


def test_sensitive_columns_refuse_text_values(session, every_kind_of_record):
    with pytest.raises(sqlite3.IntegrityError):
        session._db.conn.execute("UPDATE participants SET display_name = 'Jane Doe'")
    session._db.conn.rollback()
    assert session.maintenance.doctor().plaintext_columns == []


# -- (d) passphrase change re-wraps the key only ------------------------------------------


def _envelopes_digest(session) -> str:
    h = hashlib.sha256()
    for table, columns in SENSITIVE_COLUMNS.items():
        for row in session._db.conn.execute(
            f"SELECT id, {', '.join(columns)} FROM {table} ORDER BY id"
        ):
            for value in row:
                h.update(value if isinstance(value, bytes) else value.encode())
    return h.hexdigest()


@pytest.mark.parametrize("n_notes", [0, 2_000])
def test_passphrase_change_encrypts_nothing_whatever_the_amount_of_data(
    session, reopen, passphrase, make_draft, monkeypatch, n_notes
):
    p = session.participants.add("Morgan Many").value
    if n_notes:
        drafts = [
            make_draft(p.id, NoteTemplate.FREE, body={"text": f"contact number {i}"})
            for i in range(n_notes)
        ]
        assert session.notes.import_signed(drafts).value == n_notes
    before = _envelopes_digest(session)

    calls: Counter[str] = Counter()
    real_seal, real_open = FieldCipher.seal, FieldCipher.open

    def counting_seal(self, plaintext, place):
        calls["seal"] += 1
        return real_seal(self, plaintext, place)

    def counting_open(self, envelope, place):
        calls["open"] += 1
        return real_open(self, envelope, place)

    monkeypatch.setattr(FieldCipher, "seal", counting_seal)
    monkeypatch.setattr(FieldCipher, "open", counting_open)

    session.change_passphrase(passphrase, NEW_PASSPHRASE)

    assert calls == Counter()
    assert _envelopes_digest(session) == before
    assert session._audit.entries(limit=1)[0].event == "passphrase_changed"
    monkeypatch.undo()

    s2 = reopen(session, unlock=False)
    with pytest.raises(WrongPassphrase):
        s2.unlock(passphrase)
    assert not s2.is_unlocked
    s2.unlock(NEW_PASSPHRASE)
    notes = s2.notes.list()
    assert len(notes.items) == n_notes and notes.damaged == []
    assert s2.participants.get(p.id).display_name == "Morgan Many"
    s2._audit.verify()


def test_passphrase_change_with_a_wrong_old_passphrase_changes_nothing(session, reopen, passphrase):
    header = json.loads((session.path / "vault.json").read_text())
    with pytest.raises(WrongPassphrase):
        session.change_passphrase("not the right passphrase at all", NEW_PASSPHRASE)
    after = json.loads((session.path / "vault.json").read_text())
    assert (after["wrapped_dek"], after["kdf"]) == (header["wrapped_dek"], header["kdf"])
    s2 = reopen(session, unlock=False)
    with pytest.raises(WrongPassphrase):
        s2.unlock(NEW_PASSPHRASE)
    s2.unlock(passphrase)
    assert s2.is_unlocked


# -- (e) audit chain ------------------------------------------------------------------------


@pytest.fixture
def audited(session, passphrase, make_draft):
    """A profile with a few audit rows: created, lock, unlock, signed, addendum."""
    session.lock()
    session.unlock(passphrase)
    p = session.participants.add("Quinn Audit").value
    note = session.notes.sign(session.notes.create_draft(make_draft(p.id)).value.id).value
    session.notes.add_addendum(note.id, "follow-up")
    events = [e.event for e in reversed(session._audit.entries())]
    assert events == ["profile_created", "lock", "unlock", "note_signed", "addendum_added"]
    return session


def test_audit_chain_verifies_after_several_events(audited):
    assert audited._audit.verify() == 5
    report = audited.maintenance.doctor()
    assert report.audit_rows == 5
    assert report.audit_error is None


def test_failed_unlock_attempts_are_chained_at_the_next_unlock(session, passphrase):
    session.lock()
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            session.unlock("this is not my passphrase")
    assert not session.is_unlocked
    session.unlock(passphrase)

    events = [e.event for e in reversed(session._audit.entries())]
    assert events == ["profile_created", "lock", "unlock_failed", "unlock_failed", "unlock"]
    failed = [e for e in session._audit.entries() if e.event == "unlock_failed"]
    assert all(e.detail["failed_at"].endswith("Z") for e in failed)
    assert session._vault.take_unaudited_failures() == []
    assert session._audit.verify() == 5


def test_edited_audit_row_breaks_the_chain_at_that_row(audited):
    audited._db.conn.execute("DROP TRIGGER audit_no_update")
    audited._db.conn.execute("UPDATE audit SET detail = '{\"count\":7}' WHERE seq = 3")
    audited._db.conn.commit()

    with pytest.raises(AuditChainBroken) as err:
        audited._audit.verify()
    assert err.value.seq == 3
    report = audited.maintenance.doctor()
    assert report.audit_error is not None and "row 3" in report.audit_error
    assert not report.ok


def test_deleted_middle_audit_row_breaks_the_chain_at_that_seq(audited):
    audited._db.conn.execute("DROP TRIGGER audit_no_delete")
    audited._db.conn.execute("DELETE FROM audit WHERE seq = 3")
    audited._db.conn.commit()

    with pytest.raises(AuditChainBroken) as err:
        audited._audit.verify()
    assert err.value.seq == 3
    assert "row 3" in (audited.maintenance.doctor().audit_error or "")


def test_rows_cut_off_the_end_after_a_checkpoint_are_detected(audited, passphrase, reopen):
    # lock + unlock record the head (seq 7) in the vault header
    audited.lock()
    audited.unlock(passphrase)
    assert audited._vault.audit_head["seq"] == 7
    s2 = reopen(audited, unlock=False)
    s2._db.conn.execute("DROP TRIGGER audit_no_delete")
    s2._db.conn.execute("DELETE FROM audit WHERE seq >= 5")
    s2._db.conn.commit()
    s2._vault.unlock(passphrase)  # unlock the keys only: Session.unlock would append

    with pytest.raises(AuditChainBroken) as err:
        s2._audit.verify()
    assert err.value.seq == 5
    assert "removed" in str(err.value)


def test_forged_audit_head_in_the_vault_header_is_detected(audited, passphrase):
    audited.lock()
    audited.unlock(passphrase)
    head = dict(audited._vault.audit_head)
    head["seq"] = 3  # claim a shorter log without the key to tag it
    audited._vault.set_audit_head(head)

    with pytest.raises(AuditChainBroken, match="forged"):
        audited._audit.verify()


def test_rows_after_the_last_checkpoint_still_verify(audited, passphrase):
    audited.lock()
    audited.unlock(passphrase)
    audited.notes.add_addendum(audited.notes.list().items[0].id, "one more")
    assert audited._audit.verify() == audited._vault.audit_head["seq"] + 1


def test_reordered_audit_rows_break_the_chain(audited):
    audited._db.conn.execute("DROP TRIGGER audit_no_update")
    audited._db.conn.execute(
        "UPDATE audit SET at = (SELECT at FROM audit WHERE seq = 2) WHERE seq = 4"
    )
    audited._db.conn.commit()
    with pytest.raises(AuditChainBroken) as err:
        audited._audit.verify()
    assert err.value.seq == 4


@pytest.mark.parametrize("sql", ["UPDATE audit SET event = 'lock'", "DELETE FROM audit"])
def test_audit_log_refuses_update_and_delete(audited, sql):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        audited._db.conn.execute(sql)
    audited._db.conn.rollback()
    assert audited._audit.verify() == 5


@pytest.mark.parametrize(
    "detail",
    [{"participant": "Jane Doe"}, {"note": "said she felt hopeless"}, {"x": 1.5}, {"x": None}],
)
def test_audit_detail_refuses_free_text(session, detail):
    rows = session._audit.verify()
    with pytest.raises(ValueError):
        session._audit.append("export", **detail)
    assert session._audit.verify() == rows


def test_audit_refuses_unknown_events(session):
    with pytest.raises(ValueError):
        session._audit.append("peeked_at_notes")


def test_signed_note_audit_row_names_ids_only(session, make_draft):
    p = session.participants.add("Riley Private").value
    note = session.notes.sign(session.notes.create_draft(make_draft(p.id)).value.id).value
    details = session._db.conn.execute("SELECT group_concat(detail, ' ') FROM audit").fetchone()[0]
    assert "Riley" not in details
    assert note.id in details
    assert session.notes.get(note.id).state is NoteState.SIGNED
