"""What a service call changed, so the UI can refresh only what shows it.

Every service method that changes data returns a :class:`Changes` (the kinds of
data it changed) or an :class:`OpResult` (a value and the changes), like Anki's
``OpChanges``. Read methods return domain objects.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Generic, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class Changes:
    """Which kinds of data a call changed."""

    participants: bool = False
    notes: bool = False
    trips: bool = False
    directory: bool = False
    referrals: bool = False
    #: the participant's record: plan, enrollment, consents, outcome check-ins
    record: bool = False
    #: the peer's workforce record: supervision, certification, CEU, wellbeing (issue 23)
    workforce: bool = False
    #: groups and their rosters (issue 21; a session also changes notes)
    groups: bool = False
    outbox: bool = False
    review: bool = False
    feedback: bool = False
    settings: bool = False
    profile: bool = False

    @classmethod
    def none(cls) -> Changes:
        return cls()

    @classmethod
    def all(cls) -> Changes:
        return cls(**{f.name: True for f in fields(cls)})

    @property
    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def __or__(self, other: Changes) -> Changes:
        if not isinstance(other, Changes):
            return NotImplemented
        return Changes(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    def kinds(self) -> frozenset[str]:
        """The names of the kinds that changed."""
        return frozenset(f.name for f in fields(self) if getattr(self, f.name))


@dataclass(frozen=True, slots=True)
class OpResult(Generic[T]):
    """A value a call returns, and what it changed."""

    value: T
    changes: Changes


def changing(method: Callable[P, T], changes: Changes) -> Callable[P, OpResult[T]]:
    """``method`` (a repository's write) with the same parameters, returning its
    value and ``changes``: a service hands out the repository's own signature
    instead of declaring it again."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> OpResult[T]:
        return OpResult(method(*args, **kwargs), changes)

    return call


__all__ = ["Changes", "OpResult", "changing"]
