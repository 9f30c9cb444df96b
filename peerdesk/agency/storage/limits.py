"""Counters of refused attempts (``rate_limits``), shared by every API worker.

One row per bucket (an address, a code) and fixed window. Taking a slot is one
write transaction: ``INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1
RETURNING hits`` for each bucket, which serialises on the row (PostgreSQL) or on
the database lock (SQLite), so parallel attempts from several workers cannot get
past the limit together; over the limit the transaction is rolled back and
nothing is counted. Rows of windows that ended are deleted as new ones are taken.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, select, update

from peerdesk.agency.storage.db import Database
from peerdesk.agency.tables import rate_limits


class _OverLimit(Exception):
    """Rolls the slot's transaction back (internal)."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket


class RateLimits:
    """``storage.limits``: hits per bucket and window."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def hits(self, buckets: Sequence[str], window_start: int) -> dict[str, int]:
        """The hits of each of ``buckets`` in the window (0 if none)."""
        if not buckets:
            return {}
        rows = self._db.rows(
            select(rate_limits.c.bucket, rate_limits.c.hits).where(
                rate_limits.c.bucket.in_(list(buckets)),
                rate_limits.c.window_start == window_start,
            )
        )
        found = {row.bucket: int(row.hits) for row in rows}
        return {b: found.get(b, 0) for b in buckets}

    def take(self, limits: Mapping[str, int], window_start: int) -> str | None:
        """Add one hit to each bucket of ``limits`` (bucket -> its limit) in the
        window, unless that would put one over its limit: then nothing is added and
        that bucket is returned. Windows before this one are forgotten."""
        table = rate_limits
        try:
            with self._db.write() as conn:
                conn.execute(delete(table).where(table.c.window_start < window_start))
                for bucket, limit in sorted(limits.items()):  # one order: no deadlock
                    upsert = self._db.insert(table).values(
                        bucket=bucket, window_start=window_start, hits=1
                    )
                    hits = conn.execute(
                        upsert.on_conflict_do_update(
                            index_elements=[table.c.bucket, table.c.window_start],
                            set_={"hits": table.c.hits + 1},
                        ).returning(table.c.hits)
                    ).scalar_one()
                    if hits > limit:
                        raise _OverLimit(bucket)
        except _OverLimit as over:
            return over.bucket
        return None

    def give_back(self, buckets: Sequence[str], window_start: int) -> None:
        """Take one hit off each bucket in the window (an attempt that tried no code)."""
        if not buckets:
            return
        with self._db.write() as conn:
            conn.execute(
                update(rate_limits)
                .where(
                    rate_limits.c.bucket.in_(sorted(buckets)),
                    rate_limits.c.window_start == window_start,
                    rate_limits.c.hits > 0,
                )
                .values(hits=rate_limits.c.hits - 1)
            )
