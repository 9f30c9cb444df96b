"""Publishing the resource directory: ``peerdesk-agency directory import FILE``.

1. The file is imported with :func:`peerdesk.interop.hsds.import_path`: any HSDS 3
   shape, every field kept; a record with a problem is reported (file, line or
   record, field, reason) and left out, the rest is imported. A file that is not
   HSDS at all raises :class:`~peerdesk.errors.DirectoryDataError`.
2. What the file means for the directory: a whole directory (a dataset, the CSV
   package) **replaces** the published one; one record or a list of records (an
   API page, ``service_full.json``) is **added** to it, records of the same id
   put in place, nothing removed (``replace`` overrides the choice).
3. The plan (:func:`plan_publication`) is the diff from the published version
   (services added, changed, removed; other records counted) and is refused, with
   a sentence saying why, when a whole file of a package that replaces the
   directory could not be read (no flag: its records would all go), when the new
   directory has no service (``allow_empty``) or when it removes more than
   ``max_removed_share`` of the published records of any kind (services,
   organizations, locations, taxonomies, terms, towns; ``allow_removals``). A dry
   run stops here.
4. The signed update is made with the agency signing key: the first publication is
   a snapshot (version 1; the seed a laptop starts with is version 0), every later
   one a delta from the newest stored version to the next. The delta is applied
   to the stored dataset here first, exactly as a device will, so an update that
   a device would refuse is never sent.
5. The stored dataset is read back with the strict reader and the signed update
   opened as a laptop opens it; either failing refuses the publication (a version
   that does not read back could be neither built on nor rolled back to). The
   dataset and the signed update are then stored together, in one transaction
   (:meth:`~peerdesk.agency.storage.directory.DirectoryVersions.publish`); every
   device receives the update at its next sync, in order.

Every version stays stored, so :func:`rollback_directory` publishes an earlier
version's dataset again as the next version (devices only move forward), planned
and guarded as an import is (:func:`plan_rollback`; a dry run, the same refusals
and flags).

Size: every version is also stored as downloads in signed, content-addressed
chunks (:mod:`peerdesk.agency.directory_download`: the full directory, and the
delta from the version before), which is how a statewide directory (50,000
services, about 20 MB compressed) reaches laptops, resumably. An update whose
signed document is at most :data:`INBAND_MAX` bytes (a county directory, most
deltas) also travels whole in the sync answer as before; a larger one is
announced there by its signed manifest and the laptop downloads the chunks
(:mod:`peerdesk.link.directory_download`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from peerdesk.agency.corrections import apply_corrections
from peerdesk.agency.directory_download import downloads
from peerdesk.agency.models import AuditEntry
from peerdesk.agency.storage import Storage
from peerdesk.agency.storage.directory import Download
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.domain.directory import KINDS, Dataset, DirectoryDelta, apply_delta, count_ops, diff
from peerdesk.errors import BadSignature, CorruptData, DirectoryDataError, ValidationError
from peerdesk.ids import to_iso
from peerdesk.interop import hsds
from peerdesk.interop.hsds.json_format import no_gc
from peerdesk.wire.directory_chunks import check_chunk, open_manifest, read_update
from peerdesk.wire.directory_updates import open_directory_update, sign_delta, sign_snapshot

__all__ = [
    "DEFAULT_MAX_REMOVED_SHARE",
    "Plan",
    "Published",
    "plan_publication",
    "plan_rollback",
    "prepare_publication",
    "publish_directory",
    "rollback_directory",
    "stored_dataset",
]

#: a publication that removes more than this share of the published services is
#: refused unless asked for explicitly
DEFAULT_MAX_REMOVED_SHARE = 0.2
#: an update whose signed document is larger goes out in chunks only (its
#: broadcast item is the signed manifest)
INBAND_MAX = 256 * 1024


@dataclass(frozen=True, slots=True)
class Published:
    """What one import did. ``seq`` is None when nothing was published: nothing
    changed since ``version``, or it was a dry run (``kind`` says which)."""

    version: int
    kind: str  # "snapshot" | "delta" | "unchanged" | "dry run"
    services: int
    signed_bytes: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    version: int
    kind: str
    dataset: Dataset
    signed: bytes
    added: int = 0
    updated: int = 0
    removed: int = 0
    downloads: tuple[Download, ...] = ()
    #: what the broadcast item carries: the signed update, or (too large) the manifest
    broadcast: bytes = b""


@dataclass(frozen=True, slots=True)
class Plan:
    """What publishing a file would do: the new directory, how it was read, the
    change of its services from the published version, and the problems."""

    dataset: Dataset
    #: the version published now (None: none yet)
    base_version: int | None
    base_services: int
    #: "replace" (a whole directory), "add" (records added to the published one) or
    #: "rollback" (an earlier version's directory again)
    mode: str
    shape: str
    problems: tuple[hsds.Problem, ...] = ()
    added: tuple[str, ...] = ()  # service names
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    #: other records: kind -> (added, changed, removed)
    others: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    #: why it would be refused without an explicit flag (None: it would not)
    refusal: str | None = None
    #: the accepted corrections (record seqs) this publication carries
    corrections: tuple[int, ...] = ()
    #: the published directory the plan was made from (read once)
    base: Dataset | None = field(default=None, repr=False, compare=False)

    @property
    def unchanged(self) -> bool:
        return not (
            self.added or self.changed or self.removed or any(any(c) for c in self.others.values())
        )


def stored_dataset(raw: bytes, version: int) -> Dataset:
    try:
        return hsds.parse_json(raw, source=f"stored directory version {version}")
    except DirectoryDataError as exc:
        raise CorruptData(
            "the stored directory is unreadable", table="directory_versions", record_id=str(version)
        ) from exc


def _same(a: Dataset, b: Dataset) -> bool:
    """The same records (by kind and id), whatever their order."""
    return all(
        {r.id: r for r in getattr(a, name)} == {r.id: r for r in getattr(b, name)}
        for name in KINDS.values()
    )


def _changes(old: Dataset | None, new: Dataset) -> tuple[
    tuple[str, ...], tuple[str, ...], tuple[str, ...], dict[str, tuple[int, int, int]]
]:  # fmt: skip
    before = {s.id: s for s in old.services} if old else {}
    after = {s.id: s for s in new.services}
    added = tuple(s.name for sid, s in after.items() if sid not in before)
    changed = tuple(s.name for sid, s in after.items() if sid in before and before[sid] != s)
    removed = tuple(s.name for sid, s in before.items() if sid not in after)
    others = {}
    for kind, name in KINDS.items():
        if kind == "service":
            continue
        b = {r.id: r for r in getattr(old, name)} if old else {}
        a = {r.id: r for r in getattr(new, name)}
        others[kind] = (
            sum(1 for i in a if i not in b),
            sum(1 for i, r in a.items() if i in b and b[i] != r),
            sum(1 for i in b if i not in a),
        )
    return added, changed, removed, others


def plan_publication(
    storage: Storage,
    imported: hsds.Imported,
    *,
    replace: bool | None = None,
    allow_empty: bool = False,
    allow_removals: bool = False,
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
) -> Plan:
    """What publishing ``imported`` would do (stores nothing). ``replace`` None:
    a whole directory replaces, records add (see the module docstring)."""
    with no_gc():
        return _plan(storage, imported, replace, allow_empty, allow_removals, max_removed_share)


def _plan(
    storage: Storage,
    imported: hsds.Imported,
    replace: bool | None,
    allow_empty: bool,
    allow_removals: bool,
    max_removed_share: float,
) -> Plan:
    latest = storage.directory.latest()
    base = stored_dataset(latest.dataset, latest.version) if latest is not None else None
    whole = imported.complete if replace is None else replace
    if whole or base is None:
        dataset, problems = imported.dataset, imported.problems
    else:
        dataset, problems = imported.combine(base)
    dataset, carried = apply_corrections(dataset, storage.corrections.unpublished())
    unread = imported.unread_files if whole else ()
    problems = (*problems, *hsds.formula_problems(imported.dataset, source=imported.source))
    return _plan_of(
        base,
        latest.version if latest else None,
        dataset,
        Guard(imported.source, allow_empty, allow_removals, max_removed_share, unread),
        mode="replace" if whole or base is None else "add",
        shape=imported.shape,
        problems=problems,
        corrections=carried,
    )


@dataclass(frozen=True, slots=True)
class Guard:
    """What a publication is checked against before anything is signed."""

    #: what is published (the file's name, "version 3")
    source: str
    allow_empty: bool = False
    allow_removals: bool = False
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE
    #: the problems of files of a whole package that were not read
    unread: tuple[hsds.Problem, ...] = ()
    #: what is being done: "import" or "roll back"
    action: str = "import"


def _plan_of(
    base: Dataset | None,
    base_version: int | None,
    dataset: Dataset,
    guard: Guard,
    *,
    mode: str,
    shape: str,
    problems: tuple[hsds.Problem, ...] = (),
    corrections: tuple[int, ...] = (),
) -> Plan:
    added, changed, removed, others = _changes(base, dataset)
    return Plan(
        dataset,
        base_version,
        len(base.services) if base else 0,
        mode,
        shape,
        problems,
        added,
        changed,
        removed,
        others,
        _refusal(base, dataset, removed, others, guard),
        corrections,
        base,
    )


def _refusal(
    base: Dataset | None,
    dataset: Dataset,
    removed: tuple[str, ...],
    others: dict[str, tuple[int, int, int]],
    guard: Guard,
) -> str | None:
    """Why the publication is refused without an explicit flag (None: it is not)."""
    if guard.unread:
        files = "; ".join(str(p) for p in guard.unread[:5])
        return (
            f"a whole file of {guard.source} could not be read ({files}): publishing the "
            "package would remove that file's records from every laptop. Nothing was "
            "published; correct the file (CSV files are read as UTF-8) and import again, "
            "or leave the file out of the package if its records are meant to go"
        )
    if not dataset.services:
        if guard.allow_empty:
            return None
        return (
            f"the directory in {guard.source} has no services: publishing it would "
            "empty the directory on every laptop at its next sync. Nothing was published; "
            f"if that is what you want, {guard.action} again with --allow-empty"
        )
    if base is None or guard.allow_removals:
        return None
    share = guard.max_removed_share
    over = []
    counts = {"service": len(removed)} | {kind: r for kind, (_, _, r) in others.items()}
    for kind, name in sorted(KINDS.items(), key=lambda item: item[0] != "service"):
        published = len(getattr(base, name))
        if published and counts.get(kind, 0) > share * published:
            label = name.replace("_", " ")
            over.append(f"{counts[kind]} of the {published} published {label}")
    if not over:
        return None
    check = (
        "check the file (to add or update records only, import them as records, or use --add), or, "
        if guard.action == "import"
        else "--dry-run lists them; "
    )
    return (
        f"publishing {guard.source} would remove {', '.join(over)} (more than {share:.0%}) "
        f"from every laptop. Nothing was published; {check}if the removals are meant, "
        f"{guard.action} again with --allow-removals"
    )


def prepare_publication(
    storage: Storage,
    dataset: Dataset,
    signer: SigningKeyPair,
    now: datetime,
    *,
    known: tuple[int, Dataset] | None = None,
) -> _Prepared | None:
    """The signed update that publishes ``dataset`` after the newest stored
    version; None when the dataset equals it. Stores nothing. ``known``: the
    newest version and its dataset, already read (checked to be still newest)."""
    issued_at = to_iso(now)
    latest = storage.directory.latest()
    if latest is not None and known is not None and known[0] == latest.version:
        old = known[1]
    elif latest is not None:
        old = stored_dataset(latest.dataset, latest.version)
    delta: DirectoryDelta | None = None
    if latest is None:
        version = 1
        signed = sign_snapshot(signer, dataset, version=version, issued_at=issued_at)
        counts = (len(dataset.services), 0, 0)
        kind = "snapshot"
    else:
        version = latest.version + 1
        delta = diff(
            old, dataset, base_version=latest.version, version=version, issued_at=issued_at
        )
        if not delta.ops:
            return None
        # What a device does with it, before anyone can receive it.
        if not _same(apply_delta(old, delta, source=f"directory update {version}"), dataset):
            raise DirectoryDataError(
                "the update made from this dataset does not reproduce it; nothing was published",
                source=f"directory update {version}",
            )
        counts = count_ops(delta.ops)
        signed = sign_delta(signer, delta)
        kind = "delta"
    parts = downloads(signer, dataset, delta, version=version, issued_at=issued_at)
    broadcast = signed if len(signed) <= INBAND_MAX else parts[-1].signed
    prepared = _Prepared(version, kind, dataset, signed, *counts, tuple(parts), broadcast)
    return prepared


def _checked(prepared: _Prepared, dataset: Dataset, signer: SigningKeyPair) -> bytes:
    """The dataset as it is stored, once it reads back with the strict reader and
    the signed update opens as a laptop opens it; :class:`ValidationError`
    (nothing is stored) when either would fail, since a version that does not
    read back can be neither built on nor rolled back to, and an update every
    laptop refuses leaves them all behind for good."""
    try:
        stored = hsds.dump_json(dataset, compact=True).encode("utf-8")
        source = f"directory version {prepared.version}"
        if not _same(hsds.parse_json(stored, source=source), dataset):
            raise DirectoryDataError("does not read back as it was written", source=source)
        trusted = {signer.key_id: signer.public_raw}
        if prepared.broadcast is prepared.signed:
            open_directory_update(prepared.signed, trusted)
        for part in prepared.downloads:
            manifest = open_manifest(part.signed, trusted)
            if part.kind == "delta":  # small: read back whole, as a laptop will
                read_update(manifest, [part.chunks[c.hash] for c in manifest.chunks])
            else:
                for i, ref in enumerate(manifest.chunks):
                    check_chunk(manifest, i, part.chunks[ref.hash])
    except (DirectoryDataError, BadSignature, UnicodeError) as exc:
        raise ValidationError(
            f"directory version {prepared.version} would be refused by every laptop ({exc}); "
            "nothing was published. Correct the file or the accepted correction and "
            "import again",
            field="dataset",
        ) from None
    return stored


def _store(
    storage: Storage,
    dataset: Dataset,
    signer: SigningKeyPair,
    now: datetime,
    audit: AuditEntry | None,
    known: tuple[int, Dataset] | None = None,
    corrections: tuple[int, ...] = (),
) -> Published:
    with no_gc():
        try:
            prepared = prepare_publication(storage, dataset, signer, now, known=known)
        except UnicodeError as exc:
            raise ValidationError(
                f"the directory holds text that cannot be written as UTF-8 ({exc}); "
                "nothing was published",
                field="dataset",
            ) from None
        if prepared is None:
            latest = storage.directory.latest()
            assert latest is not None
            return Published(latest.version, "unchanged", len(dataset.services))
        stored = _checked(prepared, dataset, signer)
    seq = storage.directory.publish(
        version=prepared.version,
        kind=prepared.kind,
        dataset=stored,
        services=len(dataset.services),
        signed=prepared.broadcast,
        now=now,
        audit=audit,
        corrections=corrections,
        downloads=prepared.downloads,
    )
    return Published(
        version=prepared.version,
        kind=prepared.kind,
        services=len(dataset.services),
        signed_bytes=len(prepared.signed),
        added=prepared.added,
        updated=prepared.updated,
        removed=prepared.removed,
        seq=seq,
    )


def publish_plan(
    storage: Storage,
    plan: Plan,
    signer: SigningKeyPair,
    now: datetime,
    *,
    actor: str | None = None,
    source: str = "",
) -> Published:
    """Publish what ``plan`` says; :class:`ValidationError` with its refusal."""
    if plan.refusal is not None:
        raise ValidationError(plan.refusal, field="dataset")
    audit = None
    if actor is not None:
        audit = AuditEntry(
            actor,
            "directory-import",
            f"version {(plan.base_version or 0) + 1}",
            f"{plan.mode}, {len(plan.dataset.services)} services, from {source}; "
            f"{len(plan.added)} added, {len(plan.changed)} changed, {len(plan.removed)} removed",
        )
    known = None
    if plan.base is not None and plan.base_version is not None:
        known = (plan.base_version, plan.base)
    return _store(storage, plan.dataset, signer, now, audit, known, plan.corrections)


def publish_directory(
    storage: Storage,
    path: Path,
    signer: SigningKeyPair,
    now: datetime,
    *,
    actor: str | None = None,
    replace: bool | None = None,
    allow_empty: bool = False,
    allow_removals: bool = False,
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
) -> Published:
    """Import the file at ``path``, plan and publish it (all or nothing; with
    ``actor``, an ``admin_audit`` row in the same transaction).
    :class:`DirectoryDataError` for a file that is not HSDS;
    :class:`ValidationError` for a refused plan, an update too large to send or a
    concurrent publication."""
    imported = hsds.import_path(path)
    plan = plan_publication(
        storage,
        imported,
        replace=replace,
        allow_empty=allow_empty,
        allow_removals=allow_removals,
        max_removed_share=max_removed_share,
    )
    return publish_plan(storage, plan, signer, now, actor=actor, source=path.name)


def plan_rollback(
    storage: Storage,
    *,
    to_version: int | None = None,
    allow_empty: bool = False,
    allow_removals: bool = False,
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
) -> tuple[int, Plan]:
    """What publishing the dataset of ``to_version`` (default: the one before the
    newest) again would do, checked as an import is (:func:`plan_publication`);
    stores nothing. :class:`ValidationError` when there is no such version."""
    history = storage.directory.history()
    if not history:
        raise ValidationError("no directory has been published yet", field="version")
    newest = history[-1].version
    target = newest - 1 if to_version is None else to_version
    if target < 1 or target > newest:
        raise ValidationError(
            f"there is no directory version {target} to go back to (versions 1 to {newest})",
            field="version",
        )
    if target == newest:
        raise ValidationError(f"version {target} is the published version already", field="version")
    stored = storage.directory.get(target)
    latest = storage.directory.latest()
    assert stored is not None and latest is not None
    with no_gc():
        dataset = stored_dataset(stored.dataset, target)
        base = stored_dataset(latest.dataset, latest.version)
        guard = Guard(
            f"version {target}", allow_empty, allow_removals, max_removed_share, action="roll back"
        )
        plan = _plan_of(
            base, latest.version, dataset, guard, mode="rollback", shape=f"version {target}"
        )
    return target, plan


def rollback_directory(
    storage: Storage,
    signer: SigningKeyPair,
    now: datetime,
    *,
    to_version: int | None = None,
    actor: str | None = None,
    allow_empty: bool = False,
    allow_removals: bool = False,
    max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
    plan: tuple[int, Plan] | None = None,
) -> tuple[int, Published]:
    """Publish the dataset of ``to_version`` (default: the one before the newest)
    again, as the next version, guarded as an import is (:func:`plan_rollback`;
    ``plan``: that plan, made already). Returns the version rolled back to and
    what was published. :class:`ValidationError` when there is no such version or
    the plan is refused."""
    if plan is None:
        plan = plan_rollback(
            storage,
            to_version=to_version,
            allow_empty=allow_empty,
            allow_removals=allow_removals,
            max_removed_share=max_removed_share,
        )
    target, rollback = plan
    if rollback.refusal is not None:
        raise ValidationError(rollback.refusal, field="dataset")
    dataset = rollback.dataset
    audit = None
    if actor is not None:
        audit = AuditEntry(
            actor,
            "directory-rollback",
            f"version {(rollback.base_version or 0) + 1}",
            f"the directory of version {target} again ({len(dataset.services)} services); "
            f"{len(rollback.added)} added, {len(rollback.changed)} changed, "
            f"{len(rollback.removed)} removed",
        )
    known = None
    if rollback.base is not None and rollback.base_version is not None:
        known = (rollback.base_version, rollback.base)
    return target, _store(storage, dataset, signer, now, audit, known)
