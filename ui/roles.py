"""What the one main window (:class:`ui.app.MainWindow`) holds, by the profile's role.

A :class:`Role` is a list of sections (each a key for its icon and action, a
title and how its screen is built for a session) and how the profile's link to
the agency is made (:class:`ui.link_controller.LinkController` with the role's
strategy and when it runs by itself):

- a peer specialist's laptop (:data:`PEER`): Today, Participants, Notes, Trips,
  Resources, My work, Sync; the link syncs (:class:`ui.link_roles.PeerSync`), by itself
  when the network comes back (:class:`ui.auto_sync.AutoSync`);
- a supervisor (:data:`SUPERVISOR`): Review, Reports, Team, Sync; the link pulls the
  team's notes (:class:`ui.link_roles.SupervisorPull`) when the window opens and
  after enrollment (:class:`ui.link_controller.PullOnOpen`); the window shows
  Sync until the profile is enrolled.

Screens are built anew for every session and destroyed on lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from peerdesk.services import Session, SyncOptions, Transport
from peerdesk.services.payers import load_payer_profiles
from ui.auto_sync import AutoSync
from ui.connectivity import NetworkMonitor
from ui.i18n import tr
from ui.link_controller import LinkController, PullOnOpen
from ui.link_roles import PeerSync, PullSnapshot, SupervisorPull
from ui.operations import change
from ui.screens.directory import DirectoryScreen
from ui.screens.my_work import MyWorkScreen
from ui.screens.notes import NotesScreen
from ui.screens.participants import ParticipantsScreen
from ui.screens.reports import ReportsScreen
from ui.screens.review import ReviewScreen
from ui.screens.sync import SyncScreen
from ui.screens.sync_details import PeerSyncDetails, PullDetails
from ui.screens.team import TeamScreen
from ui.screens.today import TodayScreen
from ui.screens.trips import TripsScreen
from ui.screens.week import WeekScreen
from ui.taskman import TaskManager

__all__ = [
    "PEER",
    "ROLES",
    "SUPERVISOR",
    "Clears",
    "LinkOptions",
    "Role",
    "ScreenKit",
    "Section",
    "role_of",
]

log = logging.getLogger("peerdesk.ui.app")


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """How the window's link reaches the agency (the defaults are the real
    network; tests put a fake agency and a quiet network monitor here)."""

    network: NetworkMonitor
    transport: Transport | None = None
    sync_options: SyncOptions | None = None
    #: the first automatic sync after the window opens (None: none)
    startup_delay_ms: int | None = None


@dataclass(frozen=True, slots=True)
class ScreenKit:
    """What a section's screen is built from, for one session."""

    session: Session
    taskman: TaskManager
    link: LinkController
    autosave_ms: int
    #: the review queue's page size (None: its default)
    page_size: int | None = None


@runtime_checkable
class Clears(Protocol):
    """Every section's screen drops what it shows with ``clear()`` (on lock)."""

    def clear(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: Callable[[], str]
    #: the screen, a widget that :class:`Clears`
    build: Callable[[ScreenKit], QWidget]

    def screen(self, kit: ScreenKit) -> QWidget:
        """Build the screen for a session."""
        screen = self.build(kit)
        if not isinstance(screen, Clears):
            raise TypeError(f"{type(screen).__name__} cannot clear() what it shows")
        return screen


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    #: the window title, with ``{profile}``
    window_title: Callable[[], str]
    sections: tuple[Section, ...]
    link: Callable[[Session, TaskManager, LinkOptions, QObject], LinkController]
    #: the window shows Sync until the profile is enrolled
    sync_until_enrolled: bool = False

    def keys(self) -> tuple[str, ...]:
        return tuple(section.key for section in self.sections)

    def titles(self) -> list[str]:
        return [section.title() for section in self.sections]


# --- a peer specialist --------------------------------------------------------------------


def _peer_link(
    session: Session, taskman: TaskManager, options: LinkOptions, parent: QObject
) -> LinkController:
    auto = AutoSync(options.network, startup_delay_ms=options.startup_delay_ms)
    return LinkController(
        session,
        taskman,
        PeerSync(options.sync_options),
        auto,
        parent,
        transport=options.transport,
    )


def _notes(kit: ScreenKit) -> QWidget:
    payer = load_payer_profiles()[kit.session.policy.payer_profile]
    return NotesScreen(kit.session, kit.taskman, payer, autosave_ms=kit.autosave_ms)


def _resources(kit: ScreenKit) -> QWidget:
    # the demo directory on first unlock (a no-op once the directory has entries)
    change(kit.taskman, kit.session.directory.seed_if_empty).failure(
        lambda exc: log.warning("directory not seeded: %s", type(exc).__name__)
    ).run()
    return DirectoryScreen(kit.session, kit.taskman)


def _peer_sync(kit: ScreenKit) -> QWidget:
    auto = kit.link.auto
    assert isinstance(auto, AutoSync)  # a peer's link syncs by itself
    return SyncScreen(kit.session, kit.link, PeerSyncDetails(kit.link, auto))


PEER = Role(
    name="peer",
    window_title=lambda: tr("PeerDesk — {profile}"),
    sections=(
        Section("today", lambda: tr("Today"), lambda kit: TodayScreen(kit.session, kit.taskman)),
        Section(
            "participants",
            lambda: tr("Participants"),
            lambda kit: ParticipantsScreen(kit.session, kit.taskman),
        ),
        Section("notes", lambda: tr("Notes"), _notes),
        Section(
            "trips",
            lambda: tr("Trips"),
            lambda kit: TripsScreen(kit.session, kit.taskman, kit.session.policy.mileage_rate),
        ),
        Section("week", lambda: tr("Week"), lambda kit: WeekScreen(kit.session, kit.taskman)),
        Section("resources", lambda: tr("Resources"), _resources),
        Section(
            "mywork", lambda: tr("My work"), lambda kit: MyWorkScreen(kit.session, kit.taskman)
        ),
        Section("sync", lambda: tr("Sync"), _peer_sync),
    ),
    link=_peer_link,
)


# --- a supervisor -------------------------------------------------------------------------


def _supervisor_link(
    session: Session, taskman: TaskManager, options: LinkOptions, parent: QObject
) -> LinkController:
    return LinkController(
        session, taskman, SupervisorPull(), PullOnOpen(), parent, transport=options.transport
    )


def _review(kit: ScreenKit) -> QWidget:
    link, session = kit.link, kit.session

    def reviewer() -> str:
        """The name the supervisor's decisions are signed with (from enrollment)."""
        snapshot = link.snapshot
        if isinstance(snapshot, PullSnapshot) and snapshot.info is not None and snapshot.info.name:
            return snapshot.info.name
        return session.name

    screen = ReviewScreen(session, kit.taskman, reviewer, page_size=kit.page_size)
    # a decision refused because the note changed at the agency: fetch the change
    screen.reader.changed_remotely.connect(lambda _key: link.run_now("note changed"))
    return screen


SUPERVISOR = Role(
    name="supervisor",
    window_title=lambda: tr("PeerDesk supervisor — {profile}"),
    sections=(
        Section("review", lambda: tr("Review"), _review),
        Section(
            "reports",
            lambda: tr("Reports"),
            lambda kit: ReportsScreen(kit.session, kit.taskman, load_payer_profiles()),
        ),
        Section("team", lambda: tr("Team"), lambda kit: TeamScreen(kit.session, kit.taskman)),
        Section(
            "sync", lambda: tr("Sync"), lambda kit: SyncScreen(kit.session, kit.link, PullDetails())
        ),
    ),
    link=_supervisor_link,
    sync_until_enrolled=True,
)

ROLES = {role.name: role for role in (PEER, SUPERVISOR)}


def role_of(session: Session) -> Role:
    """The role of an open profile ("peer" or "supervisor")."""
    return ROLES[session.role]
