"""Is this laptop online, and is the connection metered? (DESIGN.md §5, "Connectivity")

:class:`NetworkMonitor` follows Qt's :class:`QNetworkInformation` when a backend
can be loaded (NetworkManager, glib, Windows, macOS). Containers, the offscreen
platform and some desktops have none: then the reachability stays
:attr:`Reach.UNKNOWN` and the cheap probe of the agency (see
:mod:`ui.auto_sync`) decides. Tests make one with ``use_system=False`` and
call :meth:`NetworkMonitor.set_reachability` / :meth:`NetworkMonitor.set_metered`,
the same slots Qt's signals reach.
"""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkInformation

__all__ = ["NetworkMonitor", "Reach"]

log = logging.getLogger("peerdesk.ui.connectivity")


class Reach(enum.Enum):
    """What the system says about the network."""

    UNKNOWN = "unknown"  #: no backend, or it does not know yet
    OFFLINE = "offline"  #: no network at all
    LOCAL = "local"  #: a network, but no route out of it (yet)
    ONLINE = "online"  #: the internet is reachable

    @property
    def may_reach_agency(self) -> bool:
        """Worth probing the agency (a local network may hold it, e.g. the demo)."""
        return self is not Reach.OFFLINE


_FROM_QT = {
    QNetworkInformation.Reachability.Unknown: Reach.UNKNOWN,
    QNetworkInformation.Reachability.Disconnected: Reach.OFFLINE,
    QNetworkInformation.Reachability.Local: Reach.LOCAL,
    QNetworkInformation.Reachability.Site: Reach.LOCAL,
    QNetworkInformation.Reachability.Online: Reach.ONLINE,
}


class NetworkMonitor(QObject):
    """The system's view of the network; :attr:`changed` on every change."""

    #: the reachability or the metered flag changed
    changed = Signal()

    def __init__(self, parent: QObject | None = None, *, use_system: bool = True) -> None:
        super().__init__(parent)
        self._reach = Reach.UNKNOWN
        self._metered = False
        self._info: QNetworkInformation | None = None
        #: the QNetworkInformation backend in use, or None
        self.backend: str | None = None
        if use_system:
            self._attach()

    @property
    def reachability(self) -> Reach:
        return self._reach

    @property
    def metered(self) -> bool:
        """Whether the connection is metered (mobile data); False when unknown."""
        return self._metered

    def _attach(self) -> None:
        info = QNetworkInformation.instance()
        if info is None:
            try:
                loaded = QNetworkInformation.loadDefaultBackend()
            except RuntimeError:  # pragma: no cover - a plugin that fails to load
                loaded = False
            info = QNetworkInformation.instance() if loaded else None
        if info is None:
            log.info("no network information backend: reachability unknown, the probe decides")
            return
        self._info = info
        self.backend = info.backendName()
        self._reach = _FROM_QT.get(info.reachability(), Reach.UNKNOWN)
        info.reachabilityChanged.connect(self._from_qt)
        if info.supports(QNetworkInformation.Feature.Metered):
            self._metered = bool(info.isMetered())
            info.isMeteredChanged.connect(self.set_metered)
        log.info("network information from %s: %s", self.backend, self._reach.value)

    def _from_qt(self, reachability: QNetworkInformation.Reachability) -> None:
        self.set_reachability(_FROM_QT.get(reachability, Reach.UNKNOWN))

    def set_reachability(self, reach: Reach) -> None:
        if reach is self._reach:
            return
        log.info("network: %s -> %s", self._reach.value, reach.value)
        self._reach = reach
        self.changed.emit()

    def set_metered(self, metered: bool) -> None:
        metered = bool(metered)
        if metered == self._metered:
            return
        self._metered = metered
        self.changed.emit()

    def detach(self) -> None:
        """Stop listening to Qt (the QNetworkInformation instance is global)."""
        if self._info is not None:
            for signal, slot in (
                (self._info.reachabilityChanged, self._from_qt),
                (self._info.isMeteredChanged, self.set_metered),
            ):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
            self._info = None
