"""Peers' suggested corrections at the agency (issue 18): they reach the agency
sealed; the agency lists them (with the supervisor passphrase), accepts one into
the next publication (its edit goes out to every laptop) or dismisses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerdesk.agency.corrections import (
    accept_correction,
    dismiss_correction,
    list_corrections,
)
from peerdesk.agency.directory import publish_directory
from peerdesk.agency.models import AuditEntry
from peerdesk.agency.review import Reviewer
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import new_id
from peerdesk.interop import hsds
from tests.agency.support import (
    BOTH_BACKENDS,
    SUPERVISOR_PASSPHRASE,
    Agency,
    Run,
    review_key_pairs,
)

SEED = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"


def _suggest(agency: Agency, service_id: str, text: str) -> None:
    device = agency.enrolled_device()
    record = device.record(
        {"service_id": service_id, "suggestion": text, "created_at": "2026-12-01T10:00:00Z"},
        kind="correction",
        entity_id=new_id(),
    )
    assert agency.sync(device, device.batch([record])).status_code == 200


def _seqs(agency: Agency) -> list[int]:
    return [r.seq for r in agency.storage.records.find(kinds=("correction",))]


@BOTH_BACKENDS
def test_corrections_are_listed_accepted_into_the_next_publication_or_dismissed(
    agency: Agency,
) -> None:
    signer = SigningKeyPair.generate()
    publish_directory(agency.storage, SEED, signer, agency.clock())
    seed = hsds.load(SEED)
    first, second = seed.services[0], seed.services[1]
    _suggest(agency, first.id, "The line is now open around the clock.")
    _suggest(agency, second.id, "This pantry closed in October.")
    reviewer = Reviewer(agency.storage, review_key_pairs(agency.settings))

    listed = list_corrections(agency.storage, reviewer)
    assert [(c.service_name, c.suggestion) for c in listed] == [
        (first.name, "The line is now open around the clock."),
        (second.name, "This pantry closed in October."),
    ]
    one, two = (c.seq for c in listed)

    accept_correction(agency.storage, reviewer, one, now=agency.clock(), actor="admin",
                      field="description", value="Open 24 hours, every day.")  # fmt: skip
    dismiss_correction(agency.storage, reviewer, two, now=agency.clock(), actor="admin")
    assert list_corrections(agency.storage, reviewer) == []
    with pytest.raises(ValidationError, match="decided already"):
        dismiss_correction(agency.storage, reviewer, one, now=agency.clock(), actor="admin")

    # the next publication (the same file again) carries the accepted edit
    done = publish_directory(agency.storage, SEED, signer, agency.clock())
    assert (done.version, done.updated) == (2, 1)
    latest = agency.storage.directory.latest()
    assert latest is not None
    published = {s.id: s for s in hsds.parse_json(latest.dataset).services}
    assert published[first.id].description == "Open 24 hours, every day."
    everything = {c.seq: c for c in list_corrections(agency.storage, reviewer, everything=True)}
    assert everything[one].decision is not None and everything[one].decision.published_in == 2
    assert everything[two].decision is not None and everything[two].decision.status == "dismissed"
    # and once carried, a correction is not applied again
    assert agency.storage.corrections.unpublished() == []


def test_a_bad_accept_is_refused(agency: Agency) -> None:
    reviewer = Reviewer(agency.storage, review_key_pairs(agency.settings))
    _suggest(agency, "svc-x", "typo")
    [seq] = _seqs(agency)
    with pytest.raises(ValidationError, match="can set one of"):
        accept_correction(agency.storage, reviewer, seq, now=agency.clock(), actor="a",
                          field="organization_id", value="x")  # fmt: skip
    with pytest.raises(ValidationError, match="both the field and its new value"):
        accept_correction(agency.storage, reviewer, seq, now=agency.clock(), actor="a",
                          field="name")  # fmt: skip
    with pytest.raises(NotFound):
        accept_correction(agency.storage, reviewer, seq + 100, now=agency.clock(), actor="a")


def test_corrections_from_the_command_line(agency: Agency, run: Run, tmp_path: Path) -> None:
    where = str(agency.settings.directory)
    secret = tmp_path / "passphrase"
    secret.write_text(SUPERVISOR_PASSPHRASE + "\n", encoding="utf-8")
    pp = ("--passphrase-file", str(secret))
    assert run("directory", "import", "--dir", where, str(SEED)).code == 0
    seed = hsds.load(SEED)
    _suggest(agency, seed.services[2].id, "New phone: 555-0199")
    [seq] = _seqs(agency)

    listed = run("directory", "corrections", "--dir", where, *pp)
    assert listed.code == 0, listed.err
    assert f"#{seq}" in listed.out and seed.services[2].name in listed.out
    assert "New phone: 555-0199" in listed.out and "open" in listed.out

    accepted = run("directory", "accept", "--dir", where, *pp, str(seq),
                   "--field", "alert", "--value", "Call 555-0199")  # fmt: skip
    assert accepted.code == 0, accepted.err
    assert "goes out with the next publication" in accepted.out

    dry = run("directory", "import", "--dir", where, "--dry-run", str(SEED))
    assert f"accepted corrections it carries: #{seq}" in dry.out
    assert "services: 0 added, 1 changed, 0 removed" in dry.out

    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all, sorry\n", encoding="utf-8")
    refused = run("directory", "corrections", "--dir", where, "--passphrase-file", str(wrong))
    assert refused.code == 1 and "wrong supervisor passphrase" in refused.err
    assert "correction-accept" in [e.action for e in agency.storage.audit.entries()]


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("name", "Line one\nline two", "contains control characters"),
        ("name", "N" * 600, "is 600 characters long; the limit is 500"),
        ("url", "https://example.org/" + "x" * 500, "is 520 characters long; the limit is 500"),
        ("description", "ok\x07bell", "contains control characters"),
        ("alert", "half a pair \ud800", "contains control characters"),
        ("name", "   ", "is required"),
    ],
)
def test_a_correction_laptops_would_refuse_is_refused_at_accept(
    agency: Agency, field: str, value: str, why: str
) -> None:
    """Issue 18, HIGH 1: the value is read with the HSDS reader's rule for its
    field, so an accepted correction can never make the directory unpublishable."""
    reviewer = Reviewer(agency.storage, review_key_pairs(agency.settings))
    _suggest(agency, "svc-x", "typo")
    [seq] = _seqs(agency)
    with pytest.raises(ValidationError, match=f"the new {field} {why}.*laptop would refuse"):
        accept_correction(agency.storage, reviewer, seq, now=agency.clock(), actor="a",
                          field=field, value=value)  # fmt: skip
    assert agency.storage.corrections.unpublished() == []
    # a multi-line description is fine (the reader allows line breaks there)
    done = accept_correction(agency.storage, reviewer, seq, now=agency.clock(), actor="a",
                             field="description", value="  Two\nlines  ")  # fmt: skip
    assert done.value == "Two\nlines"


@BOTH_BACKENDS
def test_a_publication_a_laptop_would_refuse_is_never_stored(agency: Agency) -> None:
    """Issue 18, HIGH 1: a decision stored without the accept-time check (an older
    agency) still cannot reach the laptops: the store step reads the dataset back
    and opens the signed update as a laptop does, and stores nothing if either fails."""
    signer = SigningKeyPair.generate()
    publish_directory(agency.storage, SEED, signer, agency.clock())
    seed = hsds.load(SEED)
    _suggest(agency, seed.services[0].id, "rename")
    [seq] = _seqs(agency)
    agency.storage.corrections.decide(
        seq, status="accepted", service_id=seed.services[0].id, now=agency.clock(),
        actor="old agency", field="name", value="Line one\nline two",
        audit=AuditEntry("old agency", "correction-accept", f"correction {seq}", "name"),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="would be refused by every laptop.*control char"):
        publish_directory(agency.storage, SEED, signer, agency.clock())
    assert [v.version for v in agency.storage.directory.history()] == [1]
    assert agency.storage.corrections.unpublished() != []
