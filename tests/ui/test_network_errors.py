"""Issue 21, plain words: sync and network failures in a sentence with what to do,
never the raw text ("[Errno 111] Connection refused")."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from peerdesk.errors import AgencyUnreachable
from peerdesk.link.http import cause_in_words
from ui.errors import describe_problem, message_for, network_kind, network_problem

REQUEST = httpx.Request("POST", "https://agency.example/v1/sync")

# the httpx failures the sync meets, as the link layer words them
CASES = [
    (httpx.ConnectError("[Errno 111] Connection refused", request=REQUEST), "refused"),
    (httpx.ConnectTimeout("timed out", request=REQUEST), "timeout"),
    (httpx.ReadTimeout("The read operation timed out", request=REQUEST), "timeout"),
    (
        httpx.ConnectError("[Errno -2] Name or service not known", request=REQUEST),
        "dns",
    ),
    (
        httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=REQUEST),
        "dns",
    ),
    (
        httpx.ConnectError(
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", request=REQUEST
        ),
        "tls",
    ),
    (httpx.ConnectError("[Errno 101] Network is unreachable", request=REQUEST), "offline"),
    (httpx.RemoteProtocolError("peer closed connection", request=REQUEST), "dropped"),
]


@pytest.mark.parametrize(("exc", "kind"), CASES, ids=[k for _e, k in CASES])
def test_each_network_failure_is_a_sentence_with_advice(qapp, exc, kind):
    error = AgencyUnreachable(f"{cause_in_words(exc)} (gave up after 3 attempts)")
    assert network_kind(error.cause) == kind
    text = message_for(error)
    assert "Errno" not in text and "[" not in text and "SSL:" not in text
    assert text.endswith(".") and (";" in text or ":" in text)  # what happened; what to do
    assert text == network_problem(kind_text(kind))


def kind_text(kind: str) -> str:
    return {
        "refused": "connection refused",
        "timeout": "timed out",
        "dns": "getaddrinfo",
        "tls": "certificate",
        "offline": "network is unreachable",
        "dropped": "dropped",
    }[kind]


def test_the_kinds_have_different_advice(qapp):
    sentences = {network_problem(kind_text(k)) for _e, k in CASES}
    assert len(sentences) == len({k for _e, k in CASES})
    assert "date and time" in network_problem("certificate verify failed")
    assert "Wi-Fi" in network_problem("getaddrinfo failed")


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "did not accept"),
        (TimeoutError("timed out"), "too long"),
        (socket.gaierror(-2, "Name or service not known"), "address could not be found"),
        (ssl.SSLCertVerificationError("certificate verify failed"), "certificate"),
    ],
)
def test_raw_os_errors_reaching_the_ui_are_in_words(qapp, exc, words):
    text = message_for(exc)
    assert words in text and "Errno" not in text and "111" not in text


def test_other_os_errors_stay_generic_and_stored_problems_are_described(qapp):
    assert "/secret/path" not in message_for(FileNotFoundError(2, "No such file", "/secret/path"))
    stored = (
        "cannot reach the agency: could not connect to the agency ([Errno 111] Connection refused)"
    )
    assert describe_problem(stored) == network_problem("connection refused")
    assert describe_problem("the agency refused the request: bad code") == (
        "The agency refused the request: bad code."
    )
