"""Made-up but realistic note text, for benchmarks, the demo and the zstd dictionary.

Peer support notes reuse a working vocabulary (goals, barriers, next steps,
benefits, rides, recovery meetings) around details that change every time
(names, days, places, amounts). The generator mixes sentence patterns written
for this project with random details, seeded so runs are repeatable. The
compression dictionary is trained with one seed and measured with another, so a
benchmark never compresses text the dictionary has already seen verbatim.

Every name and detail is invented.
"""

from __future__ import annotations

import random
from typing import Any

import msgpack

FIRST = [
    "Rosa",
    "Tobias",
    "Maggie",
    "Dale",
    "Ana",
    "Jerome",
    "Kayla",
    "Luis",
    "Priya",
    "Walt",
    "Shonda",
    "Eli",
    "Marisol",
    "Cody",
    "Irene",
    "Darnell",
    "Hope",
    "Manny",
    "June",
    "Ray",
]
PLACES = [
    "the county office",
    "the food pantry",
    "the library",
    "the clinic in town",
    "the laundromat",
    "the church hall",
    "the DMV",
    "the pharmacy",
    "the feed store",
    "the community center",
    "the courthouse",
    "the bus stop on Route 9",
    "the park",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "next week"]
TOPICS = [
    "housing",
    "the heating bill",
    "SNAP renewal",
    "the job application",
    "sleep",
    "the recovery meeting",
    "a ride to the dentist",
    "the custody hearing",
    "budgeting",
    "the GED class",
    "reconnecting with family",
    "the Medicaid renewal",
    "cravings",
    "the new medication",
    "the lease",
    "a phone that works",
    "the food stamps interview",
]
FEELINGS = [
    "hopeful",
    "tired",
    "anxious",
    "proud",
    "frustrated",
    "calm",
    "overwhelmed",
    "steady",
]

GOALS = [
    "{p} wants to keep working on {t} and asked for help making a plan.",
    "Goal for this visit was {t}; {p} chose it at the start of the meeting.",
    "{p} said the most important thing this week is {t}.",
    "We went back to the recovery plan goal about {t} that {p} set last month.",
    "{p} would like to feel more {f} about {t} before {d}.",
]
INTERVENTIONS = [
    "I shared my own experience with {t} and how I got through the first weeks.",
    "We role-played the phone call about {t} twice, then {p} made the real call.",
    "Drove {p} to {l} and waited while the paperwork for {t} was handed in.",
    "Went over the form for {t} line by line and filled in what we could together.",
    "Listened while {p} talked through the week; reflected back what seemed to matter most.",
    "Looked up the hours and phone number for {l} together and wrote them on the calendar.",
    "Helped {p} write down three questions to ask at {l} on {d}.",
    "Talked about warning signs and who {p} can call if things get hard before {d}.",
    "Used the budget worksheet to see where money for {t} could come from.",
    "Practised a grounding exercise that {p} can use when feeling {f}.",
]
RESPONSES = [
    "{p} said the visit helped and seemed {f} by the end.",
    "{p} made the call without help and got an appointment for {d}.",
    "{p} was {f} at first but engaged once we started on {t}.",
    "{p} said it was easier to talk about {t} than last time.",
    "{p} did not want to talk about {t} today and we respected that.",
    "{p} finished the form and kept a copy for the folder.",
]
PLANS = [
    "Meet again on {d} at {l}.",
    "{p} will call {l} before {d}; I will check in by phone the day after.",
    "Next visit we will work on {t}.",
    "Ride to {l} is scheduled for {d}; {p} knows the pickup time.",
    "I will bring the paperwork for {t} next time.",
    "{p} will try the coping plan and tell me how it went on {d}.",
]
DATA = [
    "Met {p} at {l}. {p} arrived on time and said the week had been {f}.",
    "Phone check-in with {p}; {p} reported feeling {f} since the last visit.",
    "{p} brought the letter about {t} that came in the mail.",
    "Home visit. {p} had the papers for {t} ready on the table.",
]
ASSESS = [
    "{p} is making steady progress on {t} and is using the supports we set up.",
    "Stress about {t} is up, but {p} is using the coping plan and reaching out.",
    "Transport is still the main barrier to getting to {l}.",
    "{p} seems more confident and asked fewer questions than last time.",
]


def _fill(rng: random.Random, pattern: str, person: str) -> str:
    return pattern.format(
        p=person,
        t=rng.choice(TOPICS),
        l=rng.choice(PLACES),
        d=rng.choice(DAYS),
        f=rng.choice(FEELINGS),
    )


def _paragraph(rng: random.Random, bank: list[str], person: str, n: int) -> str:
    return " ".join(_fill(rng, rng.choice(bank), person) for _ in range(n))


def note_sections(rng: random.Random, template: str, target_bytes: int) -> dict[str, str]:
    """Sections of one note of about ``target_bytes`` of text."""
    person = rng.choice(FIRST)
    banks: dict[str, dict[str, list[str]]] = {
        "girp": {
            "goal": GOALS,
            "intervention": INTERVENTIONS,
            "response": RESPONSES,
            "plan": PLANS,
        },
        "dap": {"data": DATA + INTERVENTIONS, "assessment": ASSESS, "plan": PLANS},
        "soap": {
            "subjective": GOALS + RESPONSES,
            "objective": DATA,
            "assessment": ASSESS,
            "plan": PLANS,
        },
        "free": {"text": DATA + INTERVENTIONS + RESPONSES + PLANS},
    }
    sections = {name: "" for name in banks[template]}
    while sum(len(v) for v in sections.values()) < target_bytes:
        name = rng.choice(list(sections))
        extra = _paragraph(rng, banks[template][name], person, 1)
        sections[name] = f"{sections[name]} {extra}".strip()
    return sections


def note_payload(rng: random.Random) -> dict[str, Any]:
    """A realistic signed note (1-3 KB of text) in the shape the device syncs it
    (see :func:`peerdesk.wire.payloads.note_payload`)."""
    template = rng.choice(["girp", "dap", "soap", "free"])
    day, hour, minutes = rng.randint(1, 28), rng.randint(8, 16), rng.choice([15, 30, 45, 50, 60])
    start = f"2026-11-{day:02d}T{hour:02d}:00:00.000Z"
    end = f"2026-11-{day:02d}T{hour:02d}:{minutes % 60:02d}:00.000Z"
    return {
        "participant_id": "01932f6e-0000-7000-8000-" + f"{rng.randint(0, 999999):012d}",
        "template": template,
        "contact_type": rng.choice(["in_person", "phone", "video", "group"]),
        "location_type": rng.choice(["home", "community", "office", "telehealth"]),
        "start_at": start,
        "end_at": end,
        "body": note_sections(rng, template, rng.randint(1000, 3000)),
        "goals": rng.sample(TOPICS, k=rng.randint(0, 3)),
        "created_at": start,
        "signed_at": f"2026-11-{day:02d}T18:00:00.000Z",
    }


def trip_payload(rng: random.Random) -> dict[str, Any]:
    start = rng.randint(10_000, 90_000)
    return {
        "trip_date": f"2026-11-{rng.randint(1, 28):02d}",
        "purpose": rng.choice(["medical", "benefits", "housing", "pharmacy", "peer_meeting"]),
        "destination_type": rng.choice(["clinic", "residence", "social_services", "store"]),
        "with_participant": rng.random() < 0.5,
        "participant_id": None,
        "odometer_start": str(start),
        "odometer_end": str(start + rng.randint(3, 80)),
        "miles": None,
        "destination": rng.choice(PLACES),
        "notes": "",
        "created_at": f"2026-11-{rng.randint(1, 28):02d}T18:00:00.000Z",
    }


def training_samples(seed: int = 1, n: int = 2000) -> list[bytes]:
    """Packed payloads the compression dictionary is trained on."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        payload = note_payload(rng) if i % 6 else trip_payload(rng)
        out.append(msgpack.packb(payload, use_bin_type=True))
    return out
