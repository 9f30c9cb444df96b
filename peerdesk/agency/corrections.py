"""Peers' suggested corrections to the resource directory, at the agency.

A peer's "Suggest a correction" reaches the agency as a sealed record (kind
``"correction"``: the service id, the suggestion, when), readable only with the
review keys (the supervisor passphrase opens them). The agency can:

* list them (:func:`list_corrections`: the open ones, or all with their decision);
* accept one (:func:`accept_correction`), optionally with the edit it asks for
  (a text field of the service and its new value): an accepted correction goes
  out with the next publication (:func:`apply_corrections` puts its edit into the
  published directory, and the version that carries it is recorded);
* dismiss one (:func:`dismiss_correction`).

Decisions are stored in ``directory_corrections`` (:mod:`.storage.corrections`)
with an ``admin_audit`` row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from peerdesk.agency.models import AuditEntry, CorrectionDecision
from peerdesk.agency.review import Reviewer
from peerdesk.agency.storage import Storage
from peerdesk.domain.directory import Dataset
from peerdesk.domain.directory.validation import Place
from peerdesk.errors import DirectoryDataError, NotFound, ValidationError
from peerdesk.interop import hsds
from peerdesk.interop.hsds.fields import service_fields
from peerdesk.interop.hsds.reader import Reader

#: the service fields an accepted correction may set
EDITABLE = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "alert",
    "application_process",
    "fees_description",
    "eligibility_description",
    "interpretation_services",
)
MAX_SUGGESTION = 4000


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """One correction as the agency sees it."""

    seq: int
    device_id: str
    received_at: str
    service_id: str
    #: the service's name in the published directory ("" if it is not there)
    service_name: str
    suggestion: str
    created_at: str
    decision: CorrectionDecision | None


def _text(payload: dict[str, Any], key: str, limit: int) -> str:
    value = payload.get(key)
    return value[:limit] if isinstance(value, str) else ""


def _service_names(storage: Storage) -> dict[str, str]:
    latest = storage.directory.latest()
    if latest is None:
        return {}
    try:
        dataset = hsds.parse_json(latest.dataset, source="published directory")
    except DirectoryDataError:
        return {}
    return {s.id: s.name for s in dataset.services}


def list_corrections(
    storage: Storage, reviewer: Reviewer, *, everything: bool = False, limit: int = 10_000
) -> list[CorrectionView]:
    """The open corrections, oldest first (``everything``: decided ones too)."""
    decisions = storage.corrections.decisions()
    names = _service_names(storage)
    out: list[CorrectionView] = []
    after = 0
    while len(out) < limit:
        batch = storage.records.find(kinds=("correction",), after_seq=after, limit=500)
        if not batch:
            break
        after = batch[-1].seq
        for record in batch:
            decision = decisions.get(record.seq)
            if decision is not None and not everything:
                continue
            payload = reviewer.open(record).payload
            service_id = _text(payload, "service_id", 128)
            out.append(
                CorrectionView(
                    seq=record.seq,
                    device_id=record.device_id,
                    received_at=record.received_at,
                    service_id=service_id,
                    service_name=names.get(service_id, ""),
                    suggestion=_text(payload, "suggestion", MAX_SUGGESTION),
                    created_at=_text(payload, "created_at", 40),
                    decision=decision,
                )
            )
    return out[:limit]


def check_value(field: str, value: str) -> str:
    """``value`` as the HSDS reader reads service field ``field`` (its limit, line
    breaks, control characters: the rule every laptop applies to the published
    directory), stripped; :class:`ValidationError` saying why it is not."""
    record = {"id": "correction", "name": "correction", field: value}
    try:
        read = service_fields(Reader(record, Place("the new value", "service"), tabular=False))
    except DirectoryDataError as exc:
        raise ValidationError(
            f"the new {field} {exc.problem}: every laptop would refuse the directory "
            "that carries it",
            field="value",
        ) from None
    text: str = read[field]
    if field == "name" and not text:
        raise ValidationError("the new name must not be empty", field="value")
    return text


def _service_of(reviewer: Reviewer, seq: int) -> str:
    opened = reviewer.open(seq)
    if opened.record.kind != "correction":
        raise NotFound("correction", str(seq))
    return _text(opened.payload, "service_id", 128)


def accept_correction(
    storage: Storage,
    reviewer: Reviewer,
    seq: int,
    *,
    now: datetime,
    actor: str,
    field: str | None = None,
    value: str | None = None,
) -> CorrectionDecision:
    """Accept correction ``seq`` into the next publication, with the edit
    ``field`` = ``value`` of its service when given."""
    if (field is None) != (value is None):
        raise ValidationError("give both the field and its new value, or neither", field="field")
    if field is not None and field not in EDITABLE:
        raise ValidationError(
            f"a correction can set one of {', '.join(EDITABLE)}, not {field[:40]!r}", field="field"
        )
    if field is not None and value is not None:
        value = check_value(field, value)
    service_id = _service_of(reviewer, seq)
    what = f"{field} of service {service_id}" if field else f"service {service_id}"
    return storage.corrections.decide(
        seq,
        status="accepted",
        service_id=service_id,
        now=now,
        actor=actor,
        field=field,
        value=value,
        audit=AuditEntry(actor, "correction-accept", f"correction {seq}", what),
    )


def dismiss_correction(
    storage: Storage, reviewer: Reviewer, seq: int, *, now: datetime, actor: str
) -> CorrectionDecision:
    service_id = _service_of(reviewer, seq)
    return storage.corrections.decide(
        seq,
        status="dismissed",
        service_id=service_id,
        now=now,
        actor=actor,
        audit=AuditEntry(actor, "correction-dismiss", f"correction {seq}", service_id),
    )


def apply_corrections(
    dataset: Dataset, accepted: Sequence[CorrectionDecision]
) -> tuple[Dataset, tuple[int, ...]]:
    """``dataset`` with the edits of the accepted corrections that no version
    carries yet (a correction of a service no longer there changes nothing), and
    the corrections the publication will carry."""
    edits = [c for c in accepted if c.field is not None and c.field in EDITABLE]
    if edits:
        services = {s.id: s for s in dataset.services}
        for c in edits:
            service = services.get(c.service_id)
            if service is not None:
                services[c.service_id] = replace(service, **{c.field: c.value or ""})  # type: ignore[arg-type]
        dataset = replace(dataset, services=tuple(services.values()))
    return dataset, tuple(c.record_seq for c in accepted)
