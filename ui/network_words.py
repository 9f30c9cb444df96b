"""The network's problems and the agency's refusals in words (issue 21: errors in
words with what to do, never "[Errno 111] ..."). :mod:`ui.errors` uses these for
its sentences; the sync screens use them for stored problems.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

__all__ = ["agency_refusals", "network_kind", "network_problem", "network_sentences"]


# Which network problem a cause's text (or a raw OSError's) names, by the words
# Python, the OS, ssl and httpx use; the first that matches wins (TLS before
# "connect", since a certificate failure is also a failed connection).
_NETWORK_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tls", ("certificate", "ssl", "tls")),
    ("portal", ("sign-in page", "redirected", "web page")),
    (
        "dns",
        (
            "name or service not known",
            "name resolution",
            "getaddrinfo",
            "nodename nor servname",
            "no address associated",
            "errno -2]",
            "errno -3]",
            "errno 11001]",
        ),
    ),
    (
        "refused",
        ("connection refused", "refused the connection", "errno 111]", "errno 61]", "errno 10061]"),
    ),
    ("offline", ("network is unreachable", "errno 101]", "no network", "no route to host")),
    ("timeout", ("timed out", "timeout", "in time", "took too long")),
    ("server", ("server had a problem", "is busy", "http 5")),
    ("dropped", ("dropped", "was cut", "reset by peer", "broken pipe")),
)


def network_kind(text: str) -> str:
    """``tls``, ``portal``, ``dns``, ``refused``, ``offline``, ``timeout``,
    ``server``, ``dropped`` or ``other``: which problem ``text`` describes."""
    low = text.casefold()
    for kind, words in _NETWORK_KINDS:
        if any(word in low for word in words):
            return kind
    return "other"


def network_sentences() -> dict[str, str]:
    return {
        "tls": QCoreApplication.translate(
            "errors",
            "The agency's security certificate could not be checked, so nothing was sent; "
            "check that the laptop's date and time are right; if they are, tell IT.",
        ),
        "portal": QCoreApplication.translate(
            "errors",
            "A network sign-in page is in the way (hotel, library, café Wi-Fi): open a web "
            "browser, accept the network's terms, then sync again.",
        ),
        "dns": QCoreApplication.translate(
            "errors",
            "The agency's address could not be found; check that the laptop is on the "
            "internet (Wi-Fi connected); if it is, tell IT.",
        ),
        "refused": QCoreApplication.translate(
            "errors",
            "The agency's server did not accept the connection: it may be down or "
            "restarting; your work is safe here, PeerDesk tries again (if it lasts, tell IT).",
        ),
        "offline": QCoreApplication.translate(
            "errors",
            "This laptop is not connected to a network; connect to Wi-Fi or a hotspot; "
            "your work waits here until you are online.",
        ),
        "timeout": QCoreApplication.translate(
            "errors",
            "The agency took too long to answer; the network may be slow, your work is "
            "safe: sync again later or from a stronger connection.",
        ),
        "server": QCoreApplication.translate(
            "errors",
            "The agency's server had a problem; your work is safe here and PeerDesk "
            "tries again later.",
        ),
        "dropped": QCoreApplication.translate(
            "errors",
            "The connection dropped during the sync; your work is safe: PeerDesk tries "
            "again, or sync again when the connection is steadier.",
        ),
        "other": QCoreApplication.translate(
            "errors",
            "The agency could not be reached; your work is safe here: check the network "
            "connection, then sync again.",
        ),
    }


def network_problem(text: str) -> str:
    """A sync or network problem (a cause, a stored last error, an OSError's text)
    as a sentence and what to do, never the raw text ("[Errno 111] ...")."""
    return network_sentences()[network_kind(text)]


def agency_refusals() -> dict[str, str]:
    """Why the agency refused a request, by its short code (the server's fixed
    codes, peerdesk.agency.app), in the UI's language: the server's own detail is
    English (the agency speaks English), so a known code is shown in words here and
    only an unknown one with the server's detail."""
    return {
        "bad_code": QCoreApplication.translate(
            "errors",
            "the code is not valid (unknown, expired or already used); ask IT for a new one",
        ),
        "device_exists": QCoreApplication.translate(
            "errors", "this laptop is already enrolled with the agency"
        ),
        "supervisor_exists": QCoreApplication.translate(
            "errors", "this supervisor is already enrolled with the agency"
        ),
        "malformed": QCoreApplication.translate(
            "errors", "the agency could not read what this laptop sent"
        ),
        "unauthorized": QCoreApplication.translate(
            "errors", "the agency did not recognise this laptop"
        ),
        "bad_signature": QCoreApplication.translate(
            "errors", "the agency could not check this laptop's signature"
        ),
        "not_found": QCoreApplication.translate(
            "errors", "the agency does not have what was asked for"
        ),
        "in_flight": QCoreApplication.translate(
            "errors", "the agency is still working on the last sync; try again shortly"
        ),
        "idempotency_mismatch": QCoreApplication.translate(
            "errors", "the agency already received a different sync with the same number"
        ),
        "not_ready": QCoreApplication.translate("errors", "the agency server is not set up yet"),
        "revoked": QCoreApplication.translate(
            "errors", "the agency has withdrawn this laptop's access"
        ),
        "removed": QCoreApplication.translate(
            "errors", "this supervisor was removed from the team at the agency"
        ),
        "note_changed": QCoreApplication.translate(
            "errors", "the note changed at the agency since it was opened"
        ),
        "already_decided": QCoreApplication.translate(
            "errors", "a decision on this note was already made"
        ),
        "unavailable": QCoreApplication.translate(
            "errors", "the agency server cannot store anything right now"
        ),
        "internal": QCoreApplication.translate(
            "errors", "the agency server had an internal problem"
        ),
    }
