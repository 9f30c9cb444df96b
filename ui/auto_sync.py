"""A laptop's sync by itself, and whether it is online (the peer's part of
:class:`ui.link_controller.LinkController`).

:class:`AutoSync` follows the network (:class:`ui.connectivity.NetworkMonitor`)
and whether the agency answers (a cheap ``GET /v1/ping`` with a short timeout on
the network pool, or the last sync), and syncs by itself when the network comes
back and the agency answers, every ``periodic_ms`` (15 minutes) and shortly after
the window opens; not while a sync runs, nor on a metered connection unless the
profile's setting (``sync-settings.json``, or the agency's policy) allows it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from peerdesk.errors import AgencyUnreachable
from peerdesk.services import PING_TIMEOUT_S, AgencyEndpoint, SyncSettings, ping_agency
from ui.connectivity import NetworkMonitor, Reach
from ui.i18n import tr
from ui.link_controller import LinkController
from ui.link_roles import Snapshot
from ui.operations import change

__all__ = ["PERIODIC_MS", "STARTUP_DELAY_MS", "AutoSync"]

log = logging.getLogger("peerdesk.ui.sync")

#: a periodic try, besides the tries when the network comes back
PERIODIC_MS = 15 * 60 * 1000
#: the first automatic try after the window opens
STARTUP_DELAY_MS = 3000
#: a change up this scale (e.g. offline -> online) is the network "coming back"
_RANK = {Reach.OFFLINE: 0, Reach.UNKNOWN: 1, Reach.LOCAL: 2, Reach.ONLINE: 3}


class AutoSync(QObject):
    """When a laptop syncs by itself, and how online it is (see the module docstring)."""

    def __init__(
        self,
        network: NetworkMonitor,
        parent: QObject | None = None,
        *,
        periodic_ms: int = PERIODIC_MS,
        startup_delay_ms: int | None = STARTUP_DELAY_MS,
        probe_timeout_s: float = PING_TIMEOUT_S,
    ) -> None:
        super().__init__(parent)
        self.network = network
        self.probe_timeout_s = probe_timeout_s
        self._controller: LinkController | None = None
        self.settings = SyncSettings()
        #: did the agency answer the last probe or sync? None: not asked yet
        self.agency_answers: bool | None = None
        self.auto_syncs = 0
        self._probing = False
        self._closed = False
        self._last_reach = network.reachability
        self._startup_delay_ms = startup_delay_ms
        self.periodic = QTimer(self)
        self.periodic.setInterval(periodic_ms)
        self.periodic.timeout.connect(lambda: self.try_auto_sync("periodic"))

    @property
    def controller(self) -> LinkController:
        if self._controller is None:
            raise RuntimeError("AutoSync is not attached to a LinkController")
        return self._controller

    # --- AutoRun ----------------------------------------------------------------------

    def attach(self, controller: LinkController) -> None:
        self._controller = controller
        self.setParent(controller)  # gone with the session's controller
        self.settings = controller.session.link.settings()
        controller.finished.connect(self._finished)
        controller.failed.connect(self._failed)
        self.network.changed.connect(self._network_changed)
        self.periodic.start()
        if self._startup_delay_ms is not None:
            QTimer.singleShot(self._startup_delay_ms, self, self._startup_try)

    def first_snapshot(self, snapshot: Snapshot) -> None:
        """Nothing at once: the first try comes after the start-up delay."""

    def enrolled(self) -> None:
        self.try_auto_sync("enrolled")

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.periodic.stop()
        try:
            self.network.changed.disconnect(self._network_changed)
        except (RuntimeError, TypeError):
            pass

    def connection_words(self) -> str:
        """Online / offline in words (never a colour only)."""
        reach = self.network.reachability
        controller = self.controller
        if controller.running:
            return tr("Syncing…")
        if reach is Reach.OFFLINE:
            return tr("Offline")
        if controller.is_enrolled:
            if self.agency_answers is True:
                return tr("Online")
            if self.agency_answers is False:
                return tr("Agency not reachable")
        if reach is Reach.ONLINE:
            return tr("Online")
        if reach is Reach.LOCAL:
            return tr("Local network only")
        return tr("Connection unknown")

    # --- the connection ---------------------------------------------------------------

    def _usable(self) -> bool:
        return not self._closed and self._controller is not None and self._controller.usable()

    def _answered(self, ok: bool) -> None:
        self.agency_answers = ok
        if self._controller is not None:
            self._controller.connection_changed.emit()

    def _finished(self, value: object) -> None:
        if value is not None:  # a sync that finished: the agency answered
            self._answered(True)

    def _failed(self, exc: object) -> None:
        if isinstance(exc, AgencyUnreachable):
            self._answered(False)

    def _network_changed(self) -> None:
        reach = self.network.reachability
        came_back = _RANK[reach] > _RANK[self._last_reach]
        self._last_reach = reach
        if reach is Reach.OFFLINE:
            self.agency_answers = False
        self.controller.connection_changed.emit()
        if reach.may_reach_agency and came_back:
            self.try_auto_sync("network back")

    def probe(self, then: Callable[[bool], object] | None = None) -> None:
        """Ask the agency whether it answers (a cheap ``/v1/ping``, short timeout)."""
        if not self._usable() or self._probing:
            return
        self._probing = True
        controller = self.controller

        def endpoint_read(endpoint: AgencyEndpoint | None) -> None:
            if endpoint is None or not self._usable():
                self._probing = False
                return
            controller.taskman.network(
                ping_agency,
                endpoint,
                timeout_s=self.probe_timeout_s,
                transport=controller.transport,
            ).success(lambda _info: answered(True)).failure(lambda _exc: answered(False)).run()

        def answered(ok: bool) -> None:
            self._probing = False
            self._answered(ok)
            if then is not None:
                then(ok)

        controller.taskman.db(controller.session.link.endpoint).success(endpoint_read).failure(
            lambda _exc: answered(False)
        ).run()

    # --- syncing by itself ------------------------------------------------------------

    def _startup_try(self) -> None:
        if self._controller is not None and not self._controller.has_run:
            self.try_auto_sync("start")  # nothing synced since the window opened

    def auto_sync_blocked(self) -> str | None:
        """Why an automatic sync would not start now, in words; None if it may."""
        controller = self.controller
        if not controller.is_enrolled:
            return tr("this laptop is not connected to an agency")
        if controller.running:
            return tr("a sync is running")
        if self.network.reachability is Reach.OFFLINE:
            return tr("there is no network")
        if self.network.metered and not self.settings.sync_on_metered:
            return tr("the connection is metered")
        return None

    def try_auto_sync(self, reason: str) -> None:
        """Sync by itself if allowed and the agency answers the probe."""
        if not self._usable() or self.auto_sync_blocked() is not None:
            blocked = self.auto_sync_blocked() if self._controller is not None else None
            log.info("no automatic sync (%s): %s", reason, blocked or "closed")
            return

        def probed(ok: bool) -> None:
            if ok and self.auto_sync_blocked() is None and self.controller.run_now(reason):
                self.auto_syncs += 1

        self.probe(probed)

    def set_sync_on_metered(self, on: bool) -> None:
        """Save the metered-connection setting (a small file in the profile folder)."""
        settings = SyncSettings(sync_on_metered=bool(on))
        self.settings = settings
        if self._usable():
            controller = self.controller
            change(controller.taskman, controller.session.link.save_settings, settings).origin(
                self
            ).run()
