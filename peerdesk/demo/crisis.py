"""Demo crisis support (issue 21): one participant with a six-step safety plan
and a crisis flag in force, so ``make run`` shows the crisis panel filled in."""

from __future__ import annotations

from dataclasses import replace

from peerdesk.services import Session

_PLAN = {
    "warning_signs": ("Stops answering the phone", "Sleeps through the day",
                      "Says 'nothing matters' out loud"),
    "coping": ("Walk the river path", "Play guitar for twenty minutes",
               "Cold water on the face, slow breathing"),
    "distractions": ("Main Street library", "Coffee with cousin Dee",
                     "The Saturday recovery meeting"),
    "help_people": ("Dee (cousin) 555-0142", "Marcus, sponsor, 555-0199"),
    "professionals": ("Dr. Priya Nand, Harbor Clinic, 555-0163",
                      "County mobile crisis team 555-0110",
                      "988 Suicide & Crisis Lifeline: call or text 988",
                      "Emergency: 911 or St. Mary's emergency room"),
    "environment": ("Dee keeps the extra medication", "No alcohol in the apartment"),
}  # fmt: skip


def add_demo_crisis(session: Session, participant_id: str) -> None:
    plan = replace(session.record.empty_safety_plan(participant_id), **_PLAN)  # type: ignore[arg-type]
    session.record.save_safety_plan(plan)
    session.record.flag_crisis(
        participant_id, "Called late at night, feels hopeless after a relapse"
    )
