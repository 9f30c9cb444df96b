"""What the Sync screen and its enrollment form call things, for one role (a
laptop's sync or a supervisor's pull): :mod:`ui.screens.sync_details` fills it
in, :mod:`ui.screens.sync` and :mod:`ui.screens.enroll_form` read it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SyncWords"]


@dataclass(frozen=True, slots=True)
class SyncWords:
    """What the screen calls things, and how it is laid out, for one role."""

    object_name: str
    loading: str
    enroll_title: str
    enroll_intro: str
    code_name: str
    code_label: str
    enroll_button_name: str
    connected: str
    panel_name: str
    heading: str
    agency_name: str
    run_text: str
    run_name: str
    run_tip: str
    cancel_text: str
    cancel_name: str
    progress_name: str
    progress_details_name: str
    result_name: str
    already_running: str
    #: "... did not finish: {reason}"
    did_not_finish: str
    #: the progress line until the first step arrives ("": the role says at once)
    starting: str = ""
    #: the enrollment also asks for the name decisions are signed with
    asks_name: bool = False
    run_object: str = ""
    cancel_object: str = ""
    #: the panel is long (a laptop's history and held-back records): it scrolls,
    #: and Page Up/Down scroll it from its own Tab stop
    scrolls: bool = False
