"""PeerDesk core: everything but the Qt front end (never imports PySide6 or ui)."""

__version__ = "0.1.0"
