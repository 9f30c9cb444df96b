"""``GET /metrics`` in process: what it counts, that it names nobody, and that it
answers only the allowed addresses of requests that came straight to the agency
(the several-workers sums are in test_serve_attacks.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from peerdesk.agency.app import create_app
from peerdesk.agency.settings import AgencySettings
from peerdesk.errors import ConfigError
from tests.agency.support import Agency, ASGIClient

WRONG = "ZZZZZ-ZZZZZ"


class From(ASGIClient):
    """An HTTP client to the app that appears to come from ``address``."""

    def __init__(self, app: Any, address: str) -> None:
        super().__init__(app)
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(address, 40000)),
            base_url="http://agency.test",
        )


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition: (name, sorted labels) -> value."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_records_refusals_and_enrollments(agency: Agency) -> None:
    before = agency.client.get("/metrics")
    assert before.status_code == 200
    assert before.headers["content-type"].startswith("text/plain")
    device = agency.enrolled_device()
    answer = agency.sync(device, device.batch([device.note("one"), device.note("two")]))
    assert answer.status_code == 200
    wrong = agency.client.post("/v1/enroll", json=agency.new_device().enroll_json(WRONG))
    assert wrong.status_code == 403
    after = agency.client.get("/metrics").text

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before.text, name, **labels)

    assert grew("peerdesk_sync_records_total") == 2
    assert grew("peerdesk_sync_batches_total", result="stored") == 1
    assert grew("peerdesk_enrollments_total", result="enrolled") == 1
    assert grew("peerdesk_enrollments_total", result="bad_code") == 1
    assert grew("peerdesk_refusals_total", event="enroll_refused", code="bad_code") == 1
    assert grew("peerdesk_http_requests_total", route="/v1/sync", status="200") == 1
    assert grew("peerdesk_http_requests_total", route="/v1/enroll", status="403") == 1
    assert grew("peerdesk_http_request_duration_seconds_count", route="/v1/sync") == 1
    assert value(after, "peerdesk_sync_bodies_in_flight") == 0
    # a replayed batch is counted as such, its records not again
    raw = device.batch([device.note("three")])
    assert agency.sync(device, raw).status_code == 200
    middle = agency.client.get("/metrics").text
    assert agency.sync(device, raw).status_code == 200
    last = agency.client.get("/metrics").text
    assert value(last, "peerdesk_sync_batches_total", result="replayed") == 1 + value(
        middle, "peerdesk_sync_batches_total", result="replayed"
    )
    assert value(last, "peerdesk_sync_records_total") == value(
        middle, "peerdesk_sync_records_total"
    )
    # nothing that names a device, a credential or a code
    for secret in (device.device_id, device.credential, WRONG):
        assert secret not in last


def test_unknown_paths_count_as_other_not_as_themselves(agency: Agency) -> None:
    probe = "/v1/participant-4d2f9a"
    assert agency.client.get(probe).status_code == 404
    text = agency.client.get("/metrics").text
    assert probe not in text
    assert value(text, "peerdesk_http_requests_total", route="other", status="404") >= 1


def test_metrics_answer_loopback_only_and_never_a_proxied_request(agency: Agency) -> None:
    outsider = From(agency.app, "203.0.113.9")
    try:
        assert outsider.get("/metrics").status_code == 404
    finally:
        outsider.close()
    # a proxy on the same host relays requests from loopback: the header gives it away
    relayed = agency.client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert relayed.status_code == 404
    relayed = agency.client.get("/metrics", headers={"Forwarded": "for=203.0.113.9"})
    assert relayed.status_code == 404
    assert "peerdesk" not in relayed.text
    assert agency.client.get("/metrics").status_code == 200
    assert "/metrics" not in agency.client.get("/openapi.json").json()["paths"]


def test_metrics_allow_ips_names_the_monitoring_network(agency: Agency) -> None:
    settings = dataclasses.replace(agency.settings, metrics_allow_ips=("10.1.0.0/16",))
    app = create_app(settings, storage=agency.storage, clock=agency.clock)
    monitor, local = From(app, "10.1.2.3"), ASGIClient(app)
    try:
        assert monitor.get("/metrics").status_code == 200
        assert local.get("/metrics").status_code == 404  # loopback is no longer in the list
    finally:
        monitor.close()
        local.close()


def test_metrics_allow_ips_in_agency_toml_is_checked(agency: Agency) -> None:
    path = agency.settings.settings_path
    text = path.read_text("utf-8")
    path.write_text(text + 'metrics_allow_ips = ["10.1.0.0/16", "::1"]\n', "utf-8")
    loaded = AgencySettings.load(agency.settings.directory)
    assert loaded.metrics_allow_ips == ("10.1.0.0/16", "::1/128")
    path.write_text(text + 'metrics_allow_ips = ["everyone"]\n', "utf-8")
    try:
        AgencySettings.load(agency.settings.directory)
    except ConfigError as exc:
        assert "metrics_allow_ips" in str(exc)
    else:
        raise AssertionError("a bad metrics_allow_ips was accepted")
