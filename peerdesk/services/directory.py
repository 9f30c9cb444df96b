"""``session.directory``: the resource directory (search, crisis lines, details,
signed updates; public data, so it works while the vault is locked), referrals
and suggested corrections (sensitive: vault unlocked)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from peerdesk.domain.directory import Dataset, UpdateResult
from peerdesk.domain.record import consent_for
from peerdesk.domain.referrals import Referral
from peerdesk.errors import ConsentRequired, ExportError, Msg, StorageUnavailable, message_of
from peerdesk.fsutil import atomic_write
from peerdesk.interop import hsds
from peerdesk.resources import resource_path
from peerdesk.services.changes import Changes, OpResult, changing
from peerdesk.services.stores import Stores
from peerdesk.wire.directory_updates import apply_directory_update

#: the demo directory imported into an empty profile (:meth:`seed_if_empty`)
SEED_DIRECTORY = resource_path("directory", "seed.json")
DIRECTORY = Changes(directory=True)
#: a referral or a correction saved (journaled for sync)
REFERRALS = Changes(referrals=True, outbox=True)


class DirectoryService:
    """The directory store's reads (``search``, ``get_service``, ``crisis_lines``,
    ``categories``, ``areas``, ``languages``, ``towns``, ``town``, ``version``,
    ``count``, ``is_empty``, ``export_dataset``) are its own; what changes data
    returns :class:`Changes`. Referrals and corrections are their repositories'
    own methods: ``set_referral_status`` and ``suggest_correction`` (returning an
    :class:`OpResult` with :data:`REFERRALS`), ``referral``, ``referrals``,
    ``correction`` and ``corrections``. ``refer`` checks consent first when the
    referral shares the person's information."""

    def __init__(self, stores: Stores) -> None:
        self._stores = stores
        store = stores.directory
        self._store = store
        self.search = store.search
        self.get_service = store.get_service
        self.crisis_lines = store.crisis_lines
        self.categories = store.categories
        self.areas = store.areas
        self.languages = store.languages
        self.towns = store.towns
        self.town = store.town
        self.version = store.version
        self.count = store.count
        self.is_empty = store.is_empty
        self.export_dataset = store.export_dataset
        referrals, corrections = stores.referrals, stores.corrections
        #: the follow-up: connected or not connected (and the note, if given)
        self.set_referral_status = changing(referrals.set_status, REFERRALS)
        #: a peer's suggested fix to a directory entry (sent to the agency)
        self.suggest_correction = changing(corrections.suggest, REFERRALS)
        self.referral = referrals.get
        self.referrals = referrals.list
        self.correction = corrections.get
        self.corrections = corrections.list

    def refer(
        self,
        participant_id: str,
        service_id: str,
        *,
        note_id: str | None = None,
        follow_up: str = "",
        shares_information: bool = False,
        today: date | None = None,
    ) -> OpResult[Referral]:
        """Refer a participant to a directory service (optionally from a note).

        A referral that *shares* the person's information with the service (a
        warm hand-off, a form sent for them) needs a current consent naming that
        service (by its directory id, or by name): without one it raises
        :class:`ConsentRequired` saying whether there is none, or it expired or
        was revoked, and nothing is saved. A referral that only tells the person
        where to go shares nothing and needs no consent."""
        consent_id = None
        if shares_information:
            name = self._store.get_service(service_id).service.name
            found = consent_for(
                self._stores.record.consents(participant_id).items,
                recipient=name,
                service_id=service_id,
                today=today or date.today(),
            )
            if found.consent is None:
                raise ConsentRequired(found.closest.value if found.closest else "none", name)
            consent_id = found.consent.id
        referral = self._stores.referrals.add(
            participant_id, service_id, note_id=note_id, follow_up=follow_up, consent_id=consent_id
        )
        return OpResult(referral, REFERRALS)

    # -- the directory -----------------------------------------------------------------

    def import_dataset(
        self, dataset: Dataset, *, version: int = 0, source: str = "import"
    ) -> OpResult[int]:
        """Replace the directory with ``dataset``; the number of services."""
        return OpResult(
            self._store.import_dataset(dataset, version=version, source=source), DIRECTORY
        )

    def seed_if_empty(self, path: Path | None = None) -> OpResult[int]:
        """Import the demo directory (``resources/directory/seed.json``, or the HSDS
        JSON file or CSV folder at ``path``) when this profile has no directory
        entries yet; call it after the first unlock. The number of services
        imported, 0 when the directory was not empty."""
        if not self._store.is_empty():
            return OpResult(0, Changes.none())
        return self.import_dataset(hsds.load(path or SEED_DIRECTORY), version=0, source="seed")

    def apply_update(self, blob: bytes, trusted: Mapping[str, bytes]) -> OpResult[UpdateResult]:
        """Verify a signed directory snapshot or delta (``trusted``: key id ->
        Ed25519 public key) and apply it in one transaction; see
        :mod:`peerdesk.wire.directory_updates`."""
        result = apply_directory_update(self._store, blob, trusted)
        return OpResult(result, DIRECTORY if result.applied else Changes.none())

    def export_hsds(self, target: Path, form: str = "json") -> int:
        """Write the directory as HSDS 3 (public data, so no warning and no
        audit): ``"json"``, one file; ``"csv"``, the CSV package into the folder
        ``target`` (new or empty). Every field an import kept is written back, and
        every record validates against the official HSDS 3 schemas. The number of
        services; :class:`ExportError` if it cannot be written (a CSV file already
        written is removed again)."""
        if form not in ("json", "csv"):
            raise ValueError(f"unknown form {form!r}")
        dataset = self._store.export_dataset()
        try:
            if form == "json":
                atomic_write(target, hsds.dump_export_json(dataset).encode("utf-8"))
                return len(dataset.services)
            if target.exists() and (not target.is_dir() or any(target.iterdir())):
                raise ExportError(
                    str(target), Msg("choose a new or empty folder for the CSV files")
                )
            target.mkdir(parents=True, exist_ok=True)
            written: list[Path] = []
            try:
                for name, text in hsds.dump_csv_package(dataset).items():
                    atomic_write(target / name, text.encode("utf-8"))
                    written.append(target / name)
            except BaseException:
                for path in written:
                    path.unlink(missing_ok=True)
                raise
        except OSError as exc:
            reason = (
                Msg("{problem}", problem=exc.strerror)
                if exc.strerror
                else Msg("it cannot be written")
            )
            raise ExportError(str(target), reason) from exc
        except StorageUnavailable as exc:
            raise ExportError(str(target), _storage_reason(exc)) from exc
        return len(dataset.services)


def _storage_reason(exc: StorageUnavailable) -> Msg:
    """Why storage failed, as the store said it (translatable when it is a Msg)."""
    return message_of(exc) or Msg("{problem}", problem=str(exc))
