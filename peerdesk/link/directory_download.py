"""The directory download of a sync run (issue 17), as steps
(:mod:`peerdesk.link.steps`).

A sync answer carries a small directory update whole (applied by
:mod:`peerdesk.link.inbound`); a large one is announced by its signed manifest,
and a delta this laptop cannot apply (no base, too far behind) asks for a
download too. Then, after the inbound items, the run asks the agency which
download this laptop's version takes next (``GET /v1/directory/manifest?have=N``:
a delta from N, or the full newest directory), and:

1. verifies the manifest with the bundle's signing key and its limits
   (:func:`peerdesk.wire.directory_chunks.open_manifest`);
2. keeps it as the download in progress (:mod:`peerdesk.store.directory.download`);
   a download of the same manifest already begun resumes: only the chunks not yet
   received are fetched;
3. fetches each missing chunk (a ``Net`` step, retried with back-off), checks it
   against the manifest (size, SHA-256) *before* keeping it, and keeps it in its
   own small transaction, with a :class:`DirectoryProgress` event (chunks and
   bytes of the total);
4. when every chunk is in, reads the update back (checked against the manifest
   again) and applies it and forgets the download in one transaction: the old
   directory is what search sees until that commit.

It asks again until the agency says the laptop is up to date (at most
:data:`MAX_STEPS` downloads a run). A manifest or chunk that does not verify
raises :class:`~peerdesk.errors.BadSignature` or
:class:`~peerdesk.errors.DirectoryDataError`: the run fails with that sentence,
and nothing of the refused chunk is kept or applied.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from peerdesk.domain.directory import DirectoryUpdate, UpdateResult
from peerdesk.errors import AgencyUnreachable, DirectoryDataError, Msg
from peerdesk.link.client import AgencyClient
from peerdesk.link.parts import SyncParts
from peerdesk.link.steps import Wait
from peerdesk.store.db import translate_errors
from peerdesk.store.directory.download import DownloadStore
from peerdesk.wire.directory_chunks import Manifest, check_chunk, open_manifest, read_update
from peerdesk.wire.protocol import KeyBundle, trusted_signers

log = logging.getLogger(__name__)

#: downloads applied at most in one run (then the next run goes on)
MAX_STEPS = 40


@dataclass(frozen=True, slots=True)
class DirectoryProgress:
    """A directory download: what is in of the total (honest: counted from what
    was received and checked, a resumed download starts above zero)."""

    version: int
    full: bool
    chunks_done: int
    chunks_total: int
    bytes_done: int
    bytes_total: int


class Directory(Protocol):
    def version(self) -> int: ...

    def apply_update(self, update: DirectoryUpdate) -> UpdateResult: ...


Net = Callable[..., Generator[Any, Any, Any]]


def directory_download(
    parts: SyncParts,
    client: AgencyClient,
    bundle: KeyBundle,
    net: Net,
    retrying: Callable[[int, float, str], Any],
    options: Any,
    rng: random.Random,
) -> DirectoryDownload | None:
    """The run's download, if one is wanted or was begun (None: nothing to do).
    ``options``: the run's :class:`~peerdesk.link.sync.SyncOptions` (attempts, back-off)."""
    store = parts.directory_download
    if parts.directory is None or store is None or not store.wanted():
        return None
    return DirectoryDownload(
        parts.db,
        parts.directory,
        store,
        client,
        trusted_signers(bundle),
        net,
        retrying,
        max_attempts=options.max_attempts,
        backoff_base_s=options.backoff_base_s,
        backoff_cap_s=options.backoff_cap_s,
        rng=rng,
    )


class DirectoryDownload:
    def __init__(
        self,
        db: Any,
        directory: Directory,
        store: DownloadStore,
        client: AgencyClient,
        trusted: Mapping[str, bytes],
        net: Net,
        retrying: Callable[[int, float, str], Any],
        *,
        max_attempts: int = 6,
        backoff_base_s: float = 2.0,
        backoff_cap_s: float = 120.0,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.directory = directory
        self.store = store
        self.client = client
        self.trusted = dict(trusted)
        self.net = net
        #: the run's "retrying" progress event, made from (attempt, delay, cause)
        self.retrying = retrying
        self.max_attempts = max_attempts
        self.base_s, self.cap_s = backoff_base_s, backoff_cap_s
        self.rng = rng or random.Random()
        self.applied = 0
        self.bytes_down = 0

    def pending(self) -> bool:
        """Whether a download is wanted, or was begun and not finished (resume it)."""
        return self.store.wanted()

    def run(self) -> Generator[Any, Any, None]:
        for _ in range(MAX_STEPS):
            have = self.directory.version()
            blob = yield from self._retried(self.client.directory_manifest, max(0, have))
            if blob is None:  # up to date
                self.store.clear()
                return
            self.bytes_down += len(blob)
            manifest = open_manifest(blob, self.trusted)
            if manifest.version <= have:
                self.store.clear()
                return
            if manifest.base_version is not None and manifest.base_version != have:
                raise DirectoryDataError(
                    Msg(
                        "the agency offered {update}, but this laptop has version {have}",
                        update=manifest.describe(),
                        have=have,
                    ),
                    source="directory download",
                    field="base_version",
                )
            self.store.begin(manifest.version, blob)
            yield from self._fetch(manifest)
            self._apply(manifest)

    def _fetch(self, manifest: Manifest) -> Generator[Any, Any, None]:
        received = self.store.received()
        done_bytes = sum(received.values())

        def progress() -> DirectoryProgress:
            return DirectoryProgress(
                manifest.version,
                manifest.full,
                len(received),
                len(manifest.chunks),
                done_bytes,
                manifest.wire_bytes,
            )

        yield progress()
        for i, ref in enumerate(manifest.chunks):
            if i in received:
                continue
            data = yield from self._retried(self.client.directory_chunk, ref.hash)
            self.bytes_down += len(data)
            check_chunk(manifest, i, data)  # refused: nothing kept
            self.store.put(i, ref.hash, data)
            received[i] = len(data)
            done_bytes += len(data)
            yield progress()

    def _apply(self, manifest: Manifest) -> None:
        chunks = self.store.chunks()
        try:
            update = read_update(manifest, [data for _, data in chunks])
        except DirectoryDataError:
            # checked chunk by chunk, so this is a manifest signed over bad data:
            # start again from nothing next time rather than keep it
            self.store.clear()
            raise
        with translate_errors(Msg("apply the directory download")), self.db.atomic():
            result = self.directory.apply_update(update)
            self.store.clear()
        if manifest.full:
            self.store.fold_wal()
        if result.applied:
            self.applied += 1
        log.info(
            "%s applied (%d chunks, %d bytes)",
            manifest.describe(),
            len(manifest.chunks),
            manifest.wire_bytes,
        )

    def _retried(self, fn: Callable[..., Any], *args: Any) -> Generator[Any, Any, Any]:
        """One request, retried with exponential back-off and full jitter on a
        network failure (per request, so a long download is not cut short by
        the run's time budget); :class:`AgencyUnreachable` when tries are spent."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return (yield from self.net(fn, *args))
            except AgencyUnreachable as exc:
                if attempt >= self.max_attempts:
                    raise AgencyUnreachable(
                        f"{exc.cause} (the directory download gave up after {attempt} "
                        "attempts; it resumes at the next sync)"
                    ) from None
                ceiling = min(self.cap_s, self.base_s * 2 ** (attempt - 1))
                delay = self.rng.uniform(0.0, ceiling)
                yield self.retrying(attempt, delay, exc.cause)
                yield Wait(delay)
