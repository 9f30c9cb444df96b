"""Locate files under the top-level ``resources/`` folder by path relative to the
package, never the current directory."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parents[1] / "resources"
#: SVG icons of the desktop app (``<name>.svg``)
ICONS_DIR = RESOURCES_DIR / "icons"
#: Qt Linguist sources (``peerdesk_<lang>.ts``) and compiled catalogues (``.qm``)
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"


def resource_path(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)


def icon_path(name: str) -> Path:
    """The SVG file of icon ``name`` ("today", "lock", ...)."""
    return ICONS_DIR / f"{name}.svg"


def translation_path(language: str, suffix: str = ".qm") -> Path:
    """The catalogue of ``language`` ("es"): ``.qm`` (compiled) or ``.ts`` (source)."""
    return TRANSLATIONS_DIR / f"peerdesk_{language}{suffix}"
