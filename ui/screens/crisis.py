"""The crisis panel (issue 21): one participant's crisis flag (flag with a short
reason, clear with who and when), their safety plan (the six Stanley-Brown
steps, one item a line) and who to call: 988 and the directory's crisis lines
beside the people and services of the plan.

Opened from the Participants screen, the record window, the note editor and
Today (a "Crisis…" button each) and from anywhere with :data:`CRISIS_SHORTCUT`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.crisis import SAFETY_STEPS, SafetyPlan
from peerdesk.services import Session
from peerdesk.services.crisis import CrisisView
from ui.errors import message_for
from ui.i18n import tr
from ui.operations import Follower, change
from ui.taskman import TaskManager

#: opens the crisis panel of the participant in view (or asks whose)
CRISIS_SHORTCUT = QKeySequence("Ctrl+Shift+K")

CRISIS_STYLE = "background:#b3261e;color:white;padding:8px;border-radius:4px;font-weight:bold;"
CALM_STYLE = "background:#e6f0e6;color:#1d3b1d;padding:8px;border-radius:4px;"


def step_titles() -> dict[str, tuple[str, str]]:
    """Each step's title and what goes in it (translated at call time)."""
    return {
        "warning_signs": (
            tr("1. Warning signs"),
            tr("Thoughts, moods, situations that say a crisis may be coming"),
        ),
        "coping": (
            tr("2. Things I can do on my own"),
            tr("Ways to take my mind off things without calling anyone"),
        ),
        "distractions": (
            tr("3. People and places that distract me"),
            tr("Who to be with, where to go, to feel better for a while"),
        ),
        "help_people": (
            tr("4. People I can ask for help"),
            tr("Name and phone, one a line"),
        ),
        "professionals": (
            tr("5. Professionals and services to call"),
            tr("Clinician, local crisis line, 988 (call or text), emergency room"),
        ),
        "environment": (
            tr("6. Making my surroundings safer"),
            tr("Putting away or handing over what could be used to hurt myself"),
        ),
    }


def when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


class CrisisPanel(QDialog):
    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        participant_id: str,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.taskman = session, taskman
        self.participant_id, self.name = participant_id, name
        self.view: CrisisView | None = None
        self.setObjectName("crisisPanel")
        self.setWindowTitle(tr("Crisis support: {name}").format(name=name))
        self.setAccessibleName(tr("Crisis support"))
        self.resize(1366, 768)

        self.banner = QLabel()
        self.banner.setObjectName("crisisBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setAccessibleName(tr("Crisis flag"))

        self.reason = QLineEdit()
        self.reason.setObjectName("crisisReason")
        self.reason.setPlaceholderText(tr("what is happening, in a few words"))
        self.reason.setAccessibleName(tr("Reason for the crisis flag"))
        self.reason.setMaxLength(500)
        self.flag_button = QPushButton(tr("&Flag in crisis"))
        self.flag_button.setObjectName("flagCrisis")
        self.flag_button.clicked.connect(self.flag)
        self.outcome = QLineEdit()
        self.outcome.setObjectName("crisisOutcome")
        self.outcome.setPlaceholderText(tr("how it ended (optional)"))
        self.outcome.setAccessibleName(tr("How the crisis ended"))
        self.outcome.setMaxLength(500)
        self.clear_button = QPushButton(tr("C&lear the flag"))
        self.clear_button.setObjectName("clearCrisis")
        self.clear_button.clicked.connect(self.clear_flag)
        flag_row = QHBoxLayout()
        reason_label = QLabel(tr("&Reason:"))
        reason_label.setBuddy(self.reason)
        flag_row.addWidget(reason_label)
        flag_row.addWidget(self.reason, 2)
        flag_row.addWidget(self.flag_button)
        flag_row.addWidget(self.outcome, 1)
        flag_row.addWidget(self.clear_button)

        plan_box = QGroupBox(tr("Safety plan"))
        grid = QGridLayout(plan_box)
        self.steps: dict[str, QPlainTextEdit] = {}
        for i, (key, (title, hint)) in enumerate(step_titles().items()):
            edit = QPlainTextEdit()
            edit.setObjectName(f"step_{key}")
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(title)
            edit.setTabChangesFocus(True)
            label = QLabel(title)
            label.setBuddy(edit)
            label.setStyleSheet("font-weight:bold;")
            cell = QVBoxLayout()
            cell.addWidget(label)
            cell.addWidget(edit)
            grid.addLayout(cell, i // 2, i % 2)
            self.steps[key] = edit
        self.save_button = QPushButton(tr("&Save the safety plan"))
        self.save_button.setObjectName("saveSafetyPlan")
        self.save_button.clicked.connect(self.save_plan)
        grid.addWidget(self.save_button, 3, 1, Qt.AlignmentFlag.AlignRight)

        calls = QGroupBox(tr("Who to call"))
        self.lines = QListWidget()
        self.lines.setObjectName("crisisLines")
        self.lines.setAccessibleName(tr("Crisis lines and the plan's contacts"))
        self.history = QListWidget()
        self.history.setObjectName("crisisHistory")
        self.history.setAccessibleName(tr("Crisis flags so far"))
        c_layout = QVBoxLayout(calls)
        c_layout.addWidget(QLabel(tr("988 and crisis lines, then the plan's people and services:")))
        c_layout.addWidget(self.lines, 3)
        c_layout.addWidget(QLabel(tr("Flags so far:")))
        c_layout.addWidget(self.history, 1)

        self.status = QLabel()
        self.status.setObjectName("crisisStatus")
        self.status.setWordWrap(True)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)

        body = QHBoxLayout()
        body.addWidget(plan_box, 3)
        body.addWidget(calls, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(flag_row)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        Follower(self, taskman, {"record"}, self.reload)
        self.reload()

    # --- reading ----------------------------------------------------------------------

    def reload(self) -> None:
        self.taskman.db(self.session.record.crisis, self.participant_id).success(
            self.show_view
        ).failure(self._failed).run()

    def show_view(self, view: CrisisView) -> None:
        self.view = view
        flag = view.flag
        if flag is None:
            self.banner.setText(tr("{name} is not flagged in crisis.").format(name=self.name))
            self.banner.setStyleSheet(CALM_STYLE)
        else:
            self.banner.setText(
                tr("IN CRISIS since {at}: {reason} (flagged by {who})").format(
                    at=when(flag.flagged_at), reason=flag.reason, who=flag.flagged_by
                )
            )
            self.banner.setStyleSheet(CRISIS_STYLE)
        self.flag_button.setEnabled(flag is None)
        self.reason.setEnabled(flag is None)
        self.clear_button.setEnabled(flag is not None)
        self.outcome.setEnabled(flag is not None)
        plan = view.plan
        for key, edit in self.steps.items():
            edit.setPlainText("\n".join(plan.step(key)) if plan else "")
        self.lines.clear()
        for s in view.lines:
            phones = ", ".join(s.phones)
            self.lines.addItem(f"☎ {s.name}" + (f" — {phones}" if phones else ""))
        if not any(any(p.strip() == "988" for p in s.phones) for s in view.lines):
            self.lines.insertItem(0, tr("☎ 988 Suicide and Crisis Lifeline: call or text 988"))
        if plan is not None:
            for line in (*plan.help_people, *plan.professionals):
                self.lines.addItem(f"• {line}")
        self.history.clear()
        for f in view.history:
            if f.active:
                self.history.addItem(
                    tr("{at}: {reason} (by {who}), in force").format(
                        at=when(f.flagged_at), reason=f.reason, who=f.flagged_by
                    )
                )
            else:
                assert f.cleared_at is not None
                self.history.addItem(
                    tr("{at}: {reason} (by {who}); cleared {cleared} by {by}").format(
                        at=when(f.flagged_at), reason=f.reason, who=f.flagged_by,
                        cleared=when(f.cleared_at), by=f.cleared_by,
                    )
                )  # fmt: skip

    # --- writing ----------------------------------------------------------------------

    def flag(self) -> None:
        reason = self.reason.text()
        change(self.taskman, self.session.record.flag_crisis, self.participant_id, reason).origin(
            self
        ).success(lambda _r: self._done(tr("Flagged in crisis. It syncs first."))).failure(
            self._failed
        ).run()

    def clear_flag(self) -> None:
        change(
            self.taskman, self.session.record.clear_crisis, self.participant_id, self.outcome.text()
        ).origin(self).success(lambda _r: self._done(tr("The crisis flag is cleared."))).failure(
            self._failed
        ).run()

    def plan_typed(self) -> SafetyPlan:
        now = datetime.now(UTC)
        base = (self.view.plan if self.view else None) or SafetyPlan(
            "", self.participant_id, now, now
        )
        typed = {k: tuple(self.steps[k].toPlainText().splitlines()) for k in SAFETY_STEPS}
        return replace(base, **typed)  # type: ignore[arg-type]

    def save_plan(self) -> None:
        change(self.taskman, self.session.record.save_safety_plan, self.plan_typed()).origin(
            self
        ).success(lambda _r: self._done(tr("The safety plan is saved."))).failure(
            self._failed
        ).run()

    def _done(self, words: str) -> None:
        self.reason.clear()
        self.outcome.clear()
        self.status.setText(words)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(message_for(exc))


class OneCrisisPanel:
    """At most one crisis panel open per owner; opening another closes the first."""

    def __init__(self) -> None:
        self.panel: CrisisPanel | None = None

    def open(
        self,
        session: Session,
        taskman: TaskManager,
        participant_id: str,
        name: str,
        parent: QWidget | None,
    ) -> CrisisPanel:
        if self.panel is not None:
            self.panel.close()
        self.panel = CrisisPanel(session, taskman, participant_id, name, parent)
        self.panel.show()
        return self.panel

    def open_or_ask(
        self,
        session: Session,
        taskman: TaskManager,
        who: tuple[str, str] | None,
        parent: QWidget | None,
    ) -> CrisisPanel | None:
        """The panel of ``who``; when no one is in view, ask whose first."""
        if who is None:
            ask_participant(
                session,
                taskman,
                parent,
                lambda pid, name: self.open(session, taskman, pid, name, parent),
            )
            return None
        return self.open(session, taskman, who[0], who[1], parent)

    def clear(self) -> None:
        """Close the panel (on lock: it shows decrypted words)."""
        if self.panel is not None:
            self.panel.close()
            self.panel.deleteLater()
            self.panel = None


def crisis_button(parent: QWidget | None = None) -> QPushButton:
    """The "Crisis…" button every place that shows a participant has."""
    b = QPushButton(tr("Cr&isis…"), parent)
    b.setObjectName("crisisButton")
    b.setAccessibleName(tr("Crisis flag and safety plan"))
    b.setToolTip(tr("Flag a crisis, the safety plan and crisis lines ({key})").format(
        key=CRISIS_SHORTCUT.toString(QKeySequence.SequenceFormat.NativeText)))  # fmt: skip
    # bold, not a colour of its own: the palette test keeps every colour the theme's
    font = b.font()
    font.setBold(True)
    b.setFont(font)
    return b


def ask_participant(
    session: Session,
    taskman: TaskManager,
    parent: QWidget | None,
    then: Callable[[str, str], object],
) -> None:
    """Ask whose crisis panel to open (the caseload's names are read on the DB
    thread), then ``then(participant_id, name)``."""

    def load() -> list[tuple[str, str]]:
        return [(p.id, p.display_name) for p in session.participants.list().items]

    def ask(people: list[tuple[str, str]]) -> None:
        if not people:
            return
        names = [name for _pid, name in people]
        name, ok = QInputDialog.getItem(
            parent, tr("Crisis support"), tr("Whose crisis panel?"), names, 0, False
        )
        if ok:
            then(*people[names.index(name)])

    taskman.db(load).success(ask).run()


def chosen_participant(
    data: Any, lists: tuple[QListWidget, ...], role: int
) -> tuple[str, str] | None:
    """Today's: the participant of the note chosen in one of ``lists`` (items
    carry ``("note", id)`` under ``role``; ``data`` has drafts, signed, names)."""
    if data is None:
        return None
    for widget, notes in zip(lists, (data.drafts, data.signed), strict=False):
        item = widget.currentItem()
        target = item.data(role) if item is not None else None
        for n in notes:
            if target == ("note", n.id) and n.participant_id in data.names:
                return n.participant_id, data.names[n.participant_id]
    return None
