"""The ``PeerDesk-Client`` request header a laptop sends with each ``POST /v1/sync``.

It tells the agency, as metadata only, the laptop's app version and how many
records wait in its outbox (pending) or are held back there (quarantined)::

    PeerDesk-Client: v=0.1.0; pending=12; held=1

No ids, no content, no names: the agency's console shows the three values per
laptop. The sync body (the signed batch) is untouched. :func:`parse_header` is
strict (one header, at most :data:`MAX_HEADER` characters, exactly these three
keys in this order, a version of digits, letters, ``.``, ``+`` and ``-``
starting with a digit, counts 0 to :data:`MAX_COUNT`); anything else is
refused with :class:`ValueError` and the agency ignores it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: the header's name (HTTP header names are case-insensitive)
HEADER = "PeerDesk-Client"
#: the longest header value taken
MAX_HEADER = 100
#: the longest version text taken (PEP 440 versions such as "0.1.0", "1.2.0rc1+deb12")
MAX_VERSION = 32
#: the largest count taken (a laptop's outbox never comes near it)
MAX_COUNT = 10_000_000
#: a version: a digit, then up to 31 of digits, ASCII letters, ".", "+", "-"
VERSION_PATTERN = r"[0-9][0-9A-Za-z.+\-]{0,31}"
_COUNT = r"(0|[1-9][0-9]{0,7})"
_VALUE = re.compile(
    rf"v=(?P<v>{VERSION_PATTERN}); pending=(?P<pending>{_COUNT}); held=(?P<held>{_COUNT})",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class ClientStatus:
    """What a laptop reports about itself: its app version and its outbox counts."""

    version: str
    pending: int
    held: int

    def __post_init__(self) -> None:
        if not re.fullmatch(VERSION_PATTERN, self.version, re.ASCII):
            raise ValueError("the app version is not a version (digits, letters, . + -)")
        for count in (self.pending, self.held):
            if isinstance(count, bool) or not isinstance(count, int):
                raise ValueError("the counts must be whole numbers")
            if not 0 <= count <= MAX_COUNT:
                raise ValueError(f"the counts must be between 0 and {MAX_COUNT}")

    def header(self) -> str:
        """The header's value: ``v=<version>; pending=<n>; held=<n>``."""
        return f"v={self.version}; pending={self.pending}; held={self.held}"


def parse_header(values: str | Sequence[str] | None) -> ClientStatus | None:
    """The status in the header's value (or in every value the request carried:
    more than one is refused), ``None`` when there is none; :class:`ValueError`
    (in words, without the value) when it is malformed."""
    if values is not None and not isinstance(values, str):
        found = list(values)
        if len(found) > 1:
            raise ValueError(f"more than one {HEADER} header")
        values = found[0] if found else None
    if values is None:
        return None
    if len(values) > MAX_HEADER:
        raise ValueError(f"the {HEADER} header is longer than {MAX_HEADER} characters")
    match = _VALUE.fullmatch(values)
    if match is None:
        raise ValueError(f"the {HEADER} header is not 'v=<version>; pending=<n>; held=<n>'")
    pending, held = int(match["pending"]), int(match["held"])
    if pending > MAX_COUNT or held > MAX_COUNT:
        raise ValueError(f"the counts of the {HEADER} header are over {MAX_COUNT}")
    return ClientStatus(match["v"], pending, held)


__all__ = ["HEADER", "MAX_COUNT", "MAX_HEADER", "ClientStatus", "parse_header"]
