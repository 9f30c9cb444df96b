"""Many notes, fast, through the core's bulk path (``NoteRepo.import_signed``):
for the benchmarks and the UI tests that need a big profile."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from peerdesk.domain.models import ContactType, LocationType, NoteDraft, NoteTemplate
from peerdesk.services import Session

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TEXT = (
    "Met at the library. Talked through the housing application and the barriers "
    "with transport; practiced the phone call to the landlord together. "
)


def note_drafts(
    participant_ids: str | Sequence[str], n: int, *, start: datetime = START
) -> list[NoteDraft]:
    """``n`` complete GIRP notes an hour apart, round-robin over the participants."""
    people = [participant_ids] if isinstance(participant_ids, str) else list(participant_ids)
    return [
        NoteDraft(
            participant_id=people[i % len(people)],
            template=NoteTemplate.GIRP,
            contact_type=ContactType.IN_PERSON,
            location_type=LocationType.COMMUNITY,
            start_at=start + timedelta(hours=i),
            end_at=start + timedelta(hours=i, minutes=45),
            body={
                "goal": "stable housing",
                "intervention": TEXT,
                "response": TEXT,
                "plan": f"call Tue (#{i})",
            },
            goals=("housing", "transport"),
        )
        for i in range(n)
    ]


def seed_notes(
    session: Session, n: int, participant_ids: str | Sequence[str], *, batch: int = 20_000
) -> int:
    """Store ``n`` signed notes in batches of ``batch`` (one transaction each)."""
    done = 0
    while done < n:
        count = min(batch, n - done)
        drafts = note_drafts(participant_ids, count, start=START + timedelta(hours=done))
        done += session.notes.import_signed(drafts).value
    return done
