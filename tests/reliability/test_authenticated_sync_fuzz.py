"""Schemathesis over ``POST /v1/sync`` *with* a device's credential and signature.

tests/agency/test_openapi_fuzz.py fuzzes every operation from the OpenAPI
document; for the sync route its bodies are random bytes (msgpack cannot be
described in JSON Schema), so they stop at the first check. Here the requests
schemathesis generates carry an enrolled device's bearer credential and a body
that is a batch *signed by that device*, built by Hypothesis from records that
are valid, half-valid or hostile (unknown kinds, foreign or unknown key ids, odd
dictionaries, garbage sealed bytes, repeated op ids, op ids of an earlier batch,
huge cursors, a reused batch id with another body). So the fuzz reaches the
ingest and its storage. Each answer must be documented (schemathesis's checks:
status code, content type, schema) and never a 5xx; afterwards the device's
records at the agency are all of known kinds, sealed to its keys, each op id once.

Budget: ``PEERDESK_RELIABILITY_API_EXAMPLES`` (default 100 times the scale).
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from peerdesk.ids import new_id
from peerdesk.wire.protocol import CONTENT_TYPE, RECORD_KINDS, Batch, Record
from tests.agency.conftest import (  # noqa: F401 - fixtures used by name
    agency,
    agency_dir,
    backend,
    clock,
    key_template,
    pg_factory,
    pg_url,
    settings,
    sqlite_factory,
    storage,
    storage_factory,
)
from tests.agency.support import BOTH_BACKENDS, Agency, FieldDevice
from tests.reliability.budget import int_budget, record

schemathesis.serializer.alias(CONTENT_TYPE, "application/octet-stream")
uuids = st.uuids().map(str)


def signed_batches(device: FieldDevice, sent_ops: list[str], batch_ids: list[str]):  # type: ignore[no-untyped-def]
    bundle = device.bundle
    key_ids = [bundle.current_review.key_id, bundle.recovery.key_id, "0" * 16]
    hostile = st.builds(
        Record,
        op_id=uuids | st.sampled_from(sent_ops or ["0190f0c0-0000-7000-8000-000000000001"]),
        kind=st.sampled_from(sorted(RECORD_KINDS) + ["bogus", ""]) | st.text(max_size=32),
        entity_id=uuids,
        key_id=st.sampled_from(key_ids) | st.text(max_size=64),
        dictionary=st.sampled_from(["", "notes-v1", "notes-v9"]) | st.text(max_size=32),
        sealed=st.binary(max_size=600),
    )
    valid = st.builds(lambda text: device.note(text), st.text(max_size=200))
    records = st.lists(valid | hostile, max_size=8)
    # mostly new batch ids (Hypothesis's uuids repeat on purpose: too often here);
    # sometimes one already used (a replay, or another body: 422)
    fresh = st.builds(new_id)
    reused = st.sampled_from(batch_ids or ["0190f0c0-0000-7000-8000-0000000000bb"])
    batch_id = st.one_of(fresh, fresh, fresh, reused)
    cursor = st.integers(min_value=0, max_value=2**63 - 1)
    return st.builds(
        lambda recs, bid, cur, at: (
            Batch(device.device_id, bid, cur, tuple(recs), at).encode(device.sign),
            bid,
            [r.op_id for r in recs],
        ),
        records,
        batch_id,
        cursor,
        st.text(max_size=40),
    )


@pytest.mark.slow
@BOTH_BACKENDS
def test_signed_sync_batches_with_hostile_records_get_documented_answers(
    agency: Agency,  # noqa: F811
) -> None:
    device = agency.enrolled_device("fuzzed laptop")
    schema = schemathesis.openapi.from_asgi("/openapi.json", agency.app)
    operation = schema["/v1/sync"]["POST"]
    sent_ops: list[str] = []
    batch_ids: list[str] = []
    statuses: Counter[int] = Counter()
    examples = int_budget("api_examples", 100)

    positive = schemathesis.GenerationMode.POSITIVE

    @given(
        case=operation.as_strategy(generation_mode=positive),
        body=signed_batches(device, sent_ops, batch_ids),
    )
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case, body: tuple[bytes, str, list[str]]) -> None:
        raw, batch_id, ops = body
        case.body = raw
        case.media_type = CONTENT_TYPE
        case.headers = {
            "Content-Type": CONTENT_TYPE,
            "Authorization": f"Bearer {device.credential}",
        }
        # the body is ours, not generated from the document (which cannot describe
        # msgpack): the checks of generated-data validity do not apply; the checks
        # of the answer (status code, content type, schema) do
        response = case.call_and_validate(
            excluded_checks=[positive_data_acceptance, negative_data_rejection]
        )
        assert response.status_code < 500
        statuses[response.status_code] += 1
        sent_ops.extend(ops[:2])
        batch_ids.append(batch_id)

    check()
    stored = agency.storage.records.find(device_id=device.device_id, limit=10**6)
    assert Counter(r.op_id for r in stored).most_common(1)[0][1] <= 1 if stored else True
    known = {k.key_id: k.purpose for k in agency.storage.keys.all()}
    for rec in stored:
        assert rec.kind in RECORD_KINDS
        assert known.get(rec.key_id) == ("recovery" if rec.kind == "escrow" else "review")
    assert statuses[200] > 0, statuses
    record(
        f"api.sync_authenticated.{agency.storage.dialect}",
        examples=sum(statuses.values()),
        failures=0,
        statuses={str(k): v for k, v in sorted(statuses.items())},
        records_stored=len(stored),
    )
