"""Signed directory updates: the agency side makes snapshots and deltas, the
device verifies and applies them in one transaction. A bad signature, another
kind of document, an unknown key, a malformed delta or a wrong base version
changes nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgpack
import pytest

from peerdesk.crypto.seal import SigningKeyPair, sign_document
from peerdesk.domain.directory import (
    Attribute,
    Dataset,
    DeltaOp,
    DirectoryDelta,
    DirectorySnapshot,
    Organization,
    SearchFilters,
    Town,
    apply_delta,
    diff,
)
from peerdesk.errors import BadSignature, DirectoryDataError, StorageUnavailable
from peerdesk.interop import hsds
from peerdesk.interop.hsds import update_from_doc, update_to_doc
from peerdesk.store.db import open_database
from peerdesk.store.directory import DirectoryStore
from peerdesk.store.directory.index import SearchIndex
from peerdesk.store.migrations import migrate
from peerdesk.wire.directory_updates import (
    KIND,
    apply_directory_update,
    open_directory_update,
    sign_delta,
    sign_snapshot,
)

SEED = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"


@pytest.fixture(scope="module")
def base() -> Dataset:
    return hsds.load(SEED)


@pytest.fixture(scope="module")
def agency_key() -> SigningKeyPair:
    return SigningKeyPair.generate()


@pytest.fixture(scope="module")
def trusted(agency_key) -> dict[str, bytes]:
    return {agency_key.key_id: agency_key.public_raw}


@pytest.fixture
def store(tmp_path: Path, base, agency_key, trusted) -> Iterator[DirectoryStore]:
    db = open_database(tmp_path / "p.db")
    migrate(db)
    s = DirectoryStore(db)
    result = apply_directory_update(s, sign_snapshot(agency_key, base, version=5), trusted)
    assert result.applied and result.version == 5
    yield s
    db.close()


def by_name(dataset: Dataset, name: str) -> Any:
    return next(s for s in dataset.services if s.name == name)


def edited(base: Dataset) -> Dataset:
    """The base with a service renamed, one removed, one added, an organization
    renamed (which changes what its services show) and a new town."""
    pantry = by_name(base, "Alder Falls Food Pantry")
    removed = by_name(base, "Weatherization Program")
    new = replace(
        by_name(base, "Millbrook Mobile Pantry"),
        id="11111111-2222-4333-8444-555555555555",
        name="Owl Creek Free Fridge",
        phones=(),
        schedules=(),
        service_areas=(),
        languages=(),
        service_at_locations=(),
        attributes=(
            Attribute(id="new-attr", taxonomy_term_id=pantry.attributes[0].taxonomy_term_id),
        ),
    )
    org = next(o for o in base.organizations if o.id == pantry.organization_id)
    services = tuple(
        replace(s, name="Alder Falls Community Pantry") if s.id == pantry.id else s
        for s in base.services
        if s.id != removed.id
    )
    return replace(
        base,
        services=(*services, new),
        organizations=tuple(
            replace(o, name="Alder County Food Network") if o.id == org.id else o
            for o in base.organizations
        ),
        towns=(
            *base.towns,
            Town(
                id="town-new",
                name="New Haven",
                county="Kestrel County",
                latitude=44.6,
                longitude=-91.1,
            ),
        ),
    )


# -- applying ------------------------------------------------------------------------------


def test_signed_delta_applies_adds_updates_and_removes(store, base, agency_key, trusted):
    new = edited(base)
    delta = diff(base, new, base_version=5, version=6)
    assert {(op.action, op.kind) for op in delta.ops} == {
        ("update", "service"),
        ("update", "organization"),
        ("add", "service"),
        ("add", "town"),
        ("remove", "service"),
    }

    result = apply_directory_update(store, sign_delta(agency_key, delta), trusted)

    assert (result.kind, result.version, result.applied) == ("delta", 6, True)
    assert (result.added, result.updated, result.removed) == (2, 2, 1)
    assert store.version() == 6
    assert store.export_dataset() == apply_delta(base, delta) == new
    # and the search tables followed
    assert store.search("community pantry").hits[0].name == "Alder Falls Community Pantry"
    assert store.search("weatherization").hits == ()
    assert store.search("free fridge").hits[0].name == "Owl Creek Free Fridge"
    food = {h.name: h for h in store.search("", SearchFilters(categories=("food-pantry",))).hits}
    assert "Owl Creek Free Fridge" in food
    assert food["Millbrook Mobile Pantry"].organization_name == "Alder County Food Network"
    assert "Alder County Food Network" in [
        h.organization_name for h in store.search("food network").hits
    ]
    assert "New Haven" in [t.name for t in store.towns()]


def test_renaming_a_category_reindexes_the_services_that_use_it(store, base, agency_key, trusted):
    term = next(t for t in base.taxonomy_terms if t.code == "utilities")
    new = replace(
        base,
        taxonomy_terms=tuple(
            replace(t, name="Warmth and power") if t.id == term.id else t
            for t in base.taxonomy_terms
        ),
    )
    apply_directory_update(
        store, sign_delta(agency_key, diff(base, new, base_version=5, version=6)), trusted
    )
    assert "Energy Assistance" in [h.name for h in store.search("warmth").hits]
    assert store.export_dataset() == new


def test_snapshot_replaces_the_whole_directory(store, base, agency_key, trusted):
    small = replace(base, services=base.services[:3])
    result = apply_directory_update(store, sign_snapshot(agency_key, small, version=9), trusted)
    assert (result.kind, result.version, result.added) == ("snapshot", 9, 3)
    assert store.export_dataset() == small


def test_an_update_not_newer_than_the_directory_changes_nothing(store, base, agency_key, trusted):
    before = store.export_dataset()
    stale_snapshot = sign_snapshot(agency_key, replace(base, services=()), version=5)
    old_snapshot = sign_snapshot(agency_key, replace(base, services=()), version=2)
    for blob in (stale_snapshot, old_snapshot):
        result = apply_directory_update(store, blob, trusted)
        assert result.applied is False and result.version == 5
    assert store.export_dataset() == before


def test_a_replayed_delta_is_a_no_op(store, base, agency_key, trusted):
    blob = sign_delta(agency_key, diff(base, edited(base), base_version=5, version=6))
    assert apply_directory_update(store, blob, trusted).applied
    after = store.export_dataset()
    assert apply_directory_update(store, blob, trusted).applied is False
    assert store.export_dataset() == after


# -- refusals: nothing changes -------------------------------------------------------------


@pytest.fixture
def unchanged(store):
    """Asserts, after the test, that the directory is exactly as it was."""
    before = (store.version(), store.export_dataset(), [h.id for h in store.search("pantry").hits])
    yield store
    assert (
        store.version(),
        store.export_dataset(),
        [h.id for h in store.search("pantry").hits],
    ) == before


def test_bad_signature_is_refused(unchanged, base, agency_key, trusted):
    blob = sign_delta(agency_key, diff(base, edited(base), base_version=5, version=6))
    outer = msgpack.unpackb(blob)
    outer["sig"] = bytes([outer["sig"][0] ^ 1]) + outer["sig"][1:]
    with pytest.raises(BadSignature, match="does not match"):
        apply_directory_update(unchanged, msgpack.packb(outer), trusted)


def test_altered_body_is_refused(unchanged, base, agency_key, trusted):
    blob = sign_delta(agency_key, diff(base, edited(base), base_version=5, version=6))
    outer = msgpack.unpackb(blob)
    outer["body"] = outer["body"].replace(b"Community Pantry", b"Community Pantri")
    with pytest.raises(BadSignature):
        apply_directory_update(unchanged, msgpack.packb(outer), trusted)


def test_document_of_another_kind_is_refused(unchanged, base, agency_key, trusted):
    doc = update_to_doc(diff(base, edited(base), base_version=5, version=6))
    with pytest.raises(BadSignature, match="expected a signed 'directory'"):
        apply_directory_update(unchanged, sign_document(agency_key, "policy", doc), trusted)


def test_unknown_signing_key_is_refused(unchanged, base):
    stranger = SigningKeyPair.generate()
    blob = sign_delta(stranger, diff(base, edited(base), base_version=5, version=6))
    with pytest.raises(BadSignature, match="unknown key"):
        apply_directory_update(unchanged, blob, {})
    with pytest.raises(BadSignature, match="unknown key"):
        apply_directory_update(unchanged, blob, {"0" * 16: stranger.public_raw})


def test_garbage_is_refused(unchanged, trusted):
    for blob in (b"", b"\x00" * 10, msgpack.packb({"body": b"x", "kid": "k", "sig": b"s"})):
        with pytest.raises(BadSignature):
            apply_directory_update(unchanged, blob, trusted)


def test_delta_for_another_base_version_is_refused(unchanged, base, agency_key, trusted):
    blob = sign_delta(agency_key, diff(base, edited(base), base_version=4, version=7))
    with pytest.raises(DirectoryDataError) as err:
        apply_directory_update(unchanged, blob, trusted)
    assert err.value.field == "base_version"
    assert "applies to version 4, but this laptop has version 5" in str(err.value)


def _delta_doc(ops: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    return {
        "format": "peerdesk-directory/1",
        "type": "delta",
        "version": 6,
        "base_version": 5,
        "ops": ops,
    } | top


def _service_json(base: Dataset, name: str, **changes: Any) -> dict[str, Any]:
    return hsds.record_to_json(by_name(base, name)) | changes


MALFORMED = [
    ("not-a-list", lambda b: _delta_doc("nope"), None, "ops", "must be a list"),  # type: ignore[arg-type]
    (
        "bad-op",
        lambda b: _delta_doc([{"op": "upsert", "kind": "service", "id": "x"}]),
        "ops[0]",
        "op",
        "must be add, update or remove",
    ),
    (
        "bad-kind",
        lambda b: _delta_doc([{"op": "remove", "kind": "user", "id": "x"}]),
        "ops[0]",
        "kind",
        "unknown record kind",
    ),
    (
        "extra-key",
        lambda b: _delta_doc([{"op": "remove", "kind": "service", "id": "x", "sql": "DROP"}]),
        "ops[0]",
        None,
        "unknown keys",
    ),
    (
        "missing-record",
        lambda b: _delta_doc(
            [{"op": "update", "kind": "service", "id": by_name(b, "Dial-a-Ride").id}]
        ),
        "ops[0] (update service",
        "record",
        "needs the record",
    ),
    (
        "id-mismatch",
        lambda b: _delta_doc(
            [
                {
                    "op": "update",
                    "kind": "service",
                    "id": "other",
                    "record": _service_json(b, "Dial-a-Ride"),
                }
            ]
        ),
        "ops[0] (update service 'other')",
        "record.id",
        "not the operation's id",
    ),
    (
        "wrong-type",
        lambda b: _delta_doc(
            [
                {
                    "op": "update",
                    "kind": "service",
                    "id": by_name(b, "Dial-a-Ride").id,
                    "record": _service_json(b, "Dial-a-Ride", minimum_age="ten"),
                }
            ]
        ),
        "ops[0] (update service",
        "minimum_age",
        "must be a number",
    ),
    (
        "huge-field",
        lambda b: _delta_doc(
            [
                {
                    "op": "update",
                    "kind": "service",
                    "id": by_name(b, "Dial-a-Ride").id,
                    "record": _service_json(b, "Dial-a-Ride", description="z" * 20_000),
                }
            ]
        ),
        "ops[0] (update service",
        "description",
        "the limit is",
    ),
    (
        "twice",
        lambda b: _delta_doc(
            [
                {"op": "remove", "kind": "town", "id": b.towns[0].id},
                {"op": "remove", "kind": "town", "id": b.towns[0].id},
            ]
        ),
        "ops[1] (remove town",
        "id",
        "changed twice",
    ),
    (
        "version-not-newer",
        lambda b: _delta_doc([], version=5),
        None,
        "version",
        "not newer than its base",
    ),
    (
        "format",
        lambda b: _delta_doc([], format="hsds-zip"),
        None,
        "format",
        "expected 'peerdesk-directory/1'",
    ),
    ("negative", lambda b: _delta_doc([], base_version=-1), None, "base_version", "at least 0"),
]


@pytest.mark.parametrize(
    ("make", "record", "field", "fragment"),
    [m[1:] for m in MALFORMED],
    ids=[m[0] for m in MALFORMED],
)
def test_malformed_delta_is_refused_naming_the_operation(
    unchanged, base, agency_key, trusted, make, record, field, fragment
):
    blob = sign_document(agency_key, KIND, make(base))
    with pytest.raises(DirectoryDataError) as err:
        apply_directory_update(unchanged, blob, trusted)
    e = err.value
    assert fragment in str(e)
    assert e.field == field
    if record is None:
        assert e.record is None
    else:
        assert e.record is not None and e.record.startswith(record)


INCONSISTENT = [
    (
        "add-existing",
        lambda b: [DeltaOp("add", "service", b.services[0].id, b.services[0])],
        "already exists",
    ),
    (
        "update-missing",
        lambda b: [DeltaOp("update", "service", "ghost", replace(b.services[0], id="ghost"))],
        "no service with this id",
    ),
    (
        "remove-missing",
        lambda b: [DeltaOp("remove", "location", "ghost")],
        "no location with this id",
    ),
    (
        "remove-used-organization",
        lambda b: [DeltaOp("remove", "organization", by_name(b, "Dial-a-Ride").organization_id)],
        "still belongs to this organization",
    ),
    (
        "remove-used-location",
        lambda b: [
            DeltaOp(
                "remove", "location", by_name(b, "Dial-a-Ride").service_at_locations[0].location_id
            )
        ],
        "which service",
    ),
    (
        "remove-used-term",
        lambda b: [
            DeltaOp(
                "remove",
                "taxonomy_term",
                next(t.id for t in b.taxonomy_terms if t.code == "transportation"),
            )
        ],
        "unknown taxonomy term",
    ),
    (
        "remove-parent-term",
        lambda b: [
            DeltaOp(
                "remove", "taxonomy_term", next(t.id for t in b.taxonomy_terms if t.code == "food")
            )
        ],
        "still has this term as its parent",
    ),
    (
        "service-with-unknown-term",
        lambda b: [
            DeltaOp(
                "update",
                "service",
                by_name(b, "Dial-a-Ride").id,
                replace(
                    by_name(b, "Dial-a-Ride"),
                    attributes=(Attribute(id="z", taxonomy_term_id="no-term"),),
                ),
            )
        ],
        "unknown taxonomy term 'no-term'",
    ),
    (
        "location-with-unknown-organization",
        lambda b: [
            DeltaOp(
                "update",
                "location",
                b.locations[3].id,
                replace(b.locations[3], organization_id="no-org"),
            )
        ],
        "no organization with id 'no-org'",
    ),
    (
        "term-cycle",
        lambda b: [
            DeltaOp(
                "update",
                "taxonomy_term",
                (food := next(t for t in b.taxonomy_terms if t.code == "food")).id,
                replace(food, parent_id=next(t.id for t in b.taxonomy_terms if t.code == "meals")),
            )
        ],
        "its own ancestor",
    ),
]


@pytest.mark.parametrize(
    ("make_ops", "fragment"), [i[1:] for i in INCONSISTENT], ids=[i[0] for i in INCONSISTENT]
)
def test_delta_that_does_not_fit_this_directory_changes_nothing(
    unchanged, base, agency_key, trusted, make_ops, fragment
):
    harmless = DeltaOp(
        "add",
        "town",
        "t-extra",
        Town(id="t-extra", name="X", county="Y", latitude=1, longitude=2),
    )
    delta = DirectoryDelta(6, 5, (harmless, *make_ops(base)))
    with pytest.raises(DirectoryDataError) as err:
        apply_directory_update(unchanged, sign_delta(agency_key, delta), trusted)
    assert fragment in str(err.value)
    assert "ops[1]" in str(err.value)
    # the pure application agrees that the delta is bad
    with pytest.raises(DirectoryDataError):
        apply_delta(base, delta)


def test_failure_in_the_middle_of_applying_rolls_everything_back(
    unchanged, base, agency_key, trusted, monkeypatch
):
    def disk_full(self):
        raise StorageUnavailable(
            "could not update the directory: the disk is full; nothing was saved"
        )

    monkeypatch.setattr(SearchIndex, "sync_spell", disk_full)
    blob = sign_delta(agency_key, diff(base, edited(base), base_version=5, version=6))
    with pytest.raises(StorageUnavailable):
        apply_directory_update(unchanged, blob, trusted)
    monkeypatch.undo()


# -- the pure half ---------------------------------------------------------------------------


def test_diff_then_apply_reproduces_the_new_dataset(base):
    new = edited(base)
    delta = diff(base, new, base_version=1, version=2)
    assert apply_delta(base, delta) == new
    assert diff(base, base, base_version=1, version=2).ops == ()


def test_documents_round_trip(base):
    delta = diff(base, edited(base), base_version=5, version=6, issued_at="2026-11-23T12:00:00Z")
    assert update_from_doc(msgpack.unpackb(msgpack.packb(update_to_doc(delta)))) == delta
    snap = DirectorySnapshot(7, base, "2026-11-23T12:00:00Z")
    assert update_from_doc(update_to_doc(snap)) == snap


def test_open_directory_update_verifies_then_reads(base, agency_key, trusted):
    blob = sign_snapshot(agency_key, base, version=3)
    update = open_directory_update(blob, trusted)
    assert isinstance(update, DirectorySnapshot) and update.dataset == base


def test_session_applies_signed_updates(session, base, agency_key, trusted):
    session.directory.seed_if_empty()
    assert session.directory.version() == 0
    new = replace(
        base, organizations=(*base.organizations, Organization(id="o-new", name="New Org"))
    )
    blob = sign_delta(agency_key, diff(base, new, base_version=0, version=1))
    assert session.directory.apply_update(blob, trusted).value.applied
    assert session.directory.version() == 1


def test_agency_side_can_import_the_signing_module_without_device_storage():
    code = (
        "import sys, peerdesk.wire.directory_updates, peerdesk.domain.directory, peerdesk.interop.hsds;"
        "bad = sorted(m for m in sys.modules if m.startswith(('peerdesk.store', 'peerdesk.services', 'peerdesk.link')));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_removing_an_organization_a_service_still_names_is_refused(
    unchanged, base, agency_key, trusted
):
    national = by_name(base, "988 Suicide & Crisis Lifeline")  # its organization has no location
    delta = DirectoryDelta(6, 5, (DeltaOp("remove", "organization", national.organization_id),))
    with pytest.raises(DirectoryDataError) as err:
        apply_directory_update(unchanged, sign_delta(agency_key, delta), trusted)
    assert f"which service {national.id!r} still uses" in str(err.value)
    assert "no organization with id" in str(err.value)


def test_the_official_hsds3_service_travels_to_the_laptop_with_every_field(
    store, base, agency_key, trusted
):
    """Issue 18: what the laptop does not show is kept, so its export gives it back."""
    full = Path(__file__).resolve().parents[1] / "fixtures" / "hsds3" / "examples"
    added, notes = hsds.import_path(full / "service_full.json").combine(base)
    delta = diff(base, added, base_version=5, version=6)

    result = apply_directory_update(store, sign_delta(agency_key, delta), trusted)

    assert result.applied and store.version() == 6
    assert store.export_dataset() == added
    exported = hsds.export_json(store.export_dataset())
    service = next(s for s in exported["services"] if s["name"] == "Community Counselling")
    assert service["wait_time"] == "wait_time" and service["cost_options"][0]["amount"] == 35
    assert service["schedules"][0]["byweekno"] == "41,42"
    assert store.search("counselling").hits[0].name == "Community Counselling"
    assert [n.field for n in notes] == ["parent_id"]  # the example's term names a parent it lacks
