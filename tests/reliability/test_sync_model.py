"""Sync model test: several laptops, one agency and a network that misbehaves.

A Hypothesis ``RuleBasedStateMachine`` drives real profiles (``Session`` with the
real sync engine) against the real agency (``create_app`` over ``Storage`` on a
SQLite file, reached through its ASGI interface) across a network that drops,
duplicates, delays and reorders requests and answers:

* a request lost before the agency sees it, or its answer lost after the agency
  committed the batch;
* a request delivered twice (the second is a replay);
* a request held back and delivered later, after newer ones (reordering);
* an answer held back and handed to the laptop as the answer to a *later*
  request (a confused middlebox), the laptop must not apply it;
* a 503 from a load balancer; an agency worker that dies after claiming a batch
  (the claim is left in flight until it goes stale), and agency restarts.

Meanwhile peers write and sign notes, add addenda and trips, edit participants,
and a supervisor returns or approves synced notes. After every step:

* every record a laptop holds as acknowledged is on the agency exactly once,
  under that laptop, with the sequence number it was acknowledged with;
* nothing acknowledged is ever lost on the laptop (the set only grows);
* a signed note never changes (body, goals, signing time);
* supervisor feedback reaches the laptop it was addressed to, and only that one.

At the end of each example the network heals, late requests arrive, and every
laptop syncs until its queue is empty: then the agency holds every record of
every laptop exactly once (no more, no less), each opening to what the laptop
wrote, and every piece of feedback has reached its laptop.

Budget: ``PEERDESK_RELIABILITY_MODEL_EXAMPLES`` (default 15 times the scale) and
``PEERDESK_RELIABILITY_MODEL_STEPS`` (default 30 steps per example).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import random
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from peerdesk.agency import keys
from peerdesk.agency.app import create_app
from peerdesk.agency.files import load_code_key
from peerdesk.agency.review import Reviewer
from peerdesk.agency.server import issue_enrollment_code
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.config import Provisioning
from peerdesk.crypto import kdf
from peerdesk.crypto import vault as vault_module
from peerdesk.crypto.kdf import KdfParams
from peerdesk.domain.models import (
    ContactType,
    LocationType,
    NoteDraft,
    NoteTemplate,
)
from peerdesk.errors import IntegrityError, PeerDeskError, ProtocolError, SyncError
from peerdesk.link.sync import SyncOptions
from peerdesk.services import ProfileManager, Session
from peerdesk.wire.protocol import decode_batch
from tests.agency.conftest import key_template  # noqa: F401 - session fixture
from tests.agency.support import (
    START,
    SUPERVISOR_PASSPHRASE,
    ASGIClient,
    FakeClock,
    KeyTemplate,
    agency_from_template,
)
from tests.reliability.budget import int_budget, record

DEVICES = 3
PASSPHRASE = "three laptops on one bad county road"
URL = "https://agency.model.test"
FAULTS = (
    "ok",
    "drop_request",
    "drop_response",
    "duplicate",
    "delay_request",
    "delay_response",
    "503",
    "crash_mid_batch",
)
OPTIONS = SyncOptions(batch_bytes=2048, max_attempts=3, backoff_base_s=0, max_pull_rounds=5)


# --- the world: an agency, a network, laptops ---------------------------------------------


@dataclass
class Held:
    device: int
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class LiveAgency:
    """The real agency app over a SQLite file; :meth:`restart` is a process restart."""

    def __init__(self, agency_settings: AgencySettings, clock: FakeClock) -> None:
        self.settings = agency_settings
        self.clock = clock
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        self.storage = Storage.from_url(self.settings.database_url)
        self.client = ASGIClient(create_app(self.settings, storage=self.storage, clock=self.clock))

    def stop(self) -> None:
        self.client.close()
        self.storage.close()

    def restart(self) -> None:
        self.stop()
        self.restarts += 1
        self._start()

    def deliver(self, held: Held) -> httpx.Response:
        answer = self.client.request(
            held.method, held.path, content=held.body or None, headers=held.headers
        )
        return httpx.Response(
            answer.status_code,
            headers={"content-type": answer.headers.get("content-type", "")},
            content=answer.content,
        )

    def die_while_processing(self, held: Held) -> None:
        """A worker claims the batch and dies before storing it."""
        try:
            batch = decode_batch(held.body).batch
        except ProtocolError:
            return
        digest = hashlib.sha256(held.body).digest()
        # already claimed or done: then the crash changes nothing
        with contextlib.suppress(PeerDeskError):
            self.storage.sync.claim_batch(batch.device_id, batch.batch_id, digest, self.clock())
        self.restart()


class Network:
    """Per-request faults for each laptop's ``/v1/sync`` (other routes pass)."""

    def __init__(self, agency: LiveAgency) -> None:
        self.agency = agency
        self.faults: dict[int, list[str]] = {i: [] for i in range(DEVICES)}
        self.delayed: list[Held] = []
        self.late: dict[int, list[httpx.Response]] = {i: [] for i in range(DEVICES)}
        self.misdeliver: set[int] = set()
        self.used: Counter[str] = Counter()

    def transport(self, device: int) -> httpx.BaseTransport:
        return httpx.MockTransport(lambda request: self.handle(device, request))

    def handle(self, device: int, request: httpx.Request) -> httpx.Response:
        held = Held(
            device,
            request.method,
            request.url.path,
            {k: v for k, v in request.headers.items() if k in ("content-type", "authorization")},
            request.read(),
        )
        if held.path != "/v1/sync":
            return self.agency.deliver(held)
        if device in self.misdeliver and self.late[device]:
            self.misdeliver.discard(device)
            self.used["stale answer"] += 1
            self.agency.deliver(held)  # the agency gets this request...
            return self.late[device].pop(0)  # ...the laptop an older answer
        fault = self.faults[device].pop(0) if self.faults[device] else "ok"
        self.used[fault] += 1
        if fault == "drop_request":
            raise httpx.ConnectError("the link dropped the request", request=request)
        if fault == "503":
            return httpx.Response(503, content=b"")
        if fault == "delay_request":
            self.delayed.append(held)
            raise httpx.ReadTimeout("no answer in time", request=request)
        if fault == "crash_mid_batch":
            self.agency.die_while_processing(held)
            raise httpx.RemoteProtocolError("the server closed the connection", request=request)
        answer = self.agency.deliver(held)
        if fault == "duplicate":
            answer = self.agency.deliver(held)
        elif fault == "drop_response":
            raise httpx.ReadError("connection reset while receiving", request=request)
        elif fault == "delay_response":
            self.late[device].append(answer)
            raise httpx.ReadTimeout("no answer in time", request=request)
        return answer


@dataclass
class Laptop:
    index: int
    session: Session
    device_id: str
    participant_id: str
    #: note id -> (body, goals, signed_at) at signing
    signed: dict[str, tuple[dict[str, str], tuple[str, ...], str]] = field(default_factory=dict)
    addenda: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (note, text)
    trips: dict[str, str] = field(default_factory=dict)  # id -> destination
    acked: set[str] = field(default_factory=set)
    #: feedback the supervisor sent to this laptop: note id -> comments
    feedback: dict[str, set[str]] = field(default_factory=dict)

    def outbox(self) -> dict[str, tuple[str, int | None]]:
        rows = self.session._db.execute("SELECT op_id, state, server_seq FROM outbox").fetchall()
        return {str(op): (str(state), seq) for op, state, seq in rows}


@dataclass
class Template:
    directory: Path
    agency: AgencySettings
    devices: list[str]
    review_keys: list


def _draft(participant_id: str, text: str) -> NoteDraft:
    return NoteDraft(
        participant_id=participant_id,
        template=NoteTemplate.SOAP,
        contact_type=ContactType.PHONE,
        location_type=LocationType.OFFICE,
        start_at=START,
        end_at=START.replace(hour=START.hour + 1),
        body={"subjective": text, "objective": "calm", "assessment": "ok", "plan": "call"},
        goals=("keep in touch",),
    )


@pytest.fixture(scope="module")
def template(key_template: KeyTemplate, tmp_path_factory: pytest.TempPathFactory) -> Template:  # noqa: F811
    """An agency and enrolled laptops made once; every example works on a copy."""
    root = tmp_path_factory.mktemp("model-template")
    agency_settings = agency_from_template(key_template, root / "agency")
    clock = FakeClock()
    storage = Storage.from_url(agency_settings.database_url)
    storage.migrate()
    keys.register_keys(agency_settings, storage, clock())
    storage.close()
    live = LiveAgency(agency_settings, clock)
    net = Network(live)
    provisioning = Provisioning(
        agency_name=agency_settings.name,
        agency_url=URL,
        root_public_key=key_template.result.root_public,
        root_key_id=key_template.result.root_key_id,
    )
    devices = []
    try:
        for i in range(DEVICES):
            s = ProfileManager(root=root / f"laptop{i}").create(
                "peer", PASSPHRASE, kdf_params=KdfParams.new()
            )
            code = issue_enrollment_code(live.storage, clock(), key=load_code_key(live.settings))[0]
            s.link.enroll(provisioning, code, f"model laptop {i}", transport=net.transport(i))
            s.participants.add(f"Model Participant {i}")
            for _ in s.link.sync(OPTIONS, transport=net.transport(i), sleep=lambda _s: None):
                pass
            devices.append(s._device.require().device_id)
            s.close()
    finally:
        live.stop()
    review = keys.load_review_keys(agency_settings, SUPERVISOR_PASSPHRASE)
    return Template(root, agency_settings, devices, review)


# --- the state machine ------------------------------------------------------------------


class SyncModel(RuleBasedStateMachine):
    template: Template
    examples = 0
    steps = 0
    faults: Counter[str] = Counter()
    restarts = 0
    syncs = 0
    failed_syncs = 0

    def __init__(self) -> None:
        super().__init__()
        type(self).examples += 1
        self.dir = Path(tempfile.mkdtemp(prefix="pd-model-"))
        shutil.copytree(self.template.directory, self.dir, dirs_exist_ok=True)
        agency_settings = AgencySettings.load(self.dir / "agency")
        self.clock = FakeClock()
        self.agency = LiveAgency(agency_settings, self.clock)
        self.net = Network(self.agency)
        self.reviewer_keys = self.template.review_keys
        self.laptops: list[Laptop] = []
        self.counter = itertools.count(1)
        for i in range(DEVICES):
            s = ProfileManager(root=self.dir / f"laptop{i}").open("peer")
            s.unlock(PASSPHRASE)
            participant = s.participants.list().items[0].id
            laptop = Laptop(i, s, self.template.devices[i], participant)
            laptop.acked = {op for op, (state, _) in laptop.outbox().items() if state == "acked"}
            self.laptops.append(laptop)

    # -- peers at work ---------------------------------------------------------------------

    @rule(device=st.integers(0, DEVICES - 1))
    def write_and_sign_a_note(self, device: int) -> None:
        laptop = self.laptops[device]
        s = laptop.session
        text = f"note {next(self.counter)} on laptop {device}"
        note = s.notes.sign(
            s.notes.create_draft(_draft(laptop.participant_id, text)).value.id
        ).value
        assert note.signed_at is not None
        laptop.signed[note.id] = (dict(note.body), tuple(note.goals), note.signed_at.isoformat())

    @precondition(lambda self: any(lp.signed for lp in self.laptops))
    @rule(device=st.integers(0, DEVICES - 1), pick=st.integers(0, 10_000))
    def add_an_addendum(self, device: int, pick: int) -> None:
        laptop = self.laptops[device]
        if not laptop.signed:
            return
        note_id = sorted(laptop.signed)[pick % len(laptop.signed)]
        text = f"addendum {next(self.counter)}"
        addendum = laptop.session.notes.add_addendum(note_id, text).value
        laptop.addenda[addendum.id] = (note_id, text)

    @rule(device=st.integers(0, DEVICES - 1))
    def log_a_trip(self, device: int) -> None:
        laptop = self.laptops[device]
        destination = f"trip {next(self.counter)}"
        trip = laptop.session.trips.add(
            date(2026, 5, 1), "medical", "clinic", miles=Decimal("3.2"), destination=destination
        ).value
        laptop.trips[trip.id] = destination

    @rule(device=st.integers(0, DEVICES - 1))
    def edit_the_participant(self, device: int) -> None:
        laptop = self.laptops[device]
        s = laptop.session
        person = s.participants.get(laptop.participant_id)
        s.participants.update(replace(person, details=f"edit {next(self.counter)}"))

    # -- the network and the agency --------------------------------------------------------

    @rule(device=st.integers(0, DEVICES - 1), faults=st.lists(st.sampled_from(FAULTS), max_size=5))
    def sync_over_a_bad_link(self, device: int, faults: list[str]) -> None:
        """The next requests of this laptop meet these faults (then the link is fine)."""
        self.net.faults[device] = list(faults)
        self._sync(self.laptops[device])

    @precondition(lambda self: bool(self.net.delayed))
    @rule(pick=st.integers(0, 10_000))
    def a_delayed_request_arrives(self, pick: int) -> None:
        held = self.net.delayed.pop(pick % len(self.net.delayed))
        self.agency.deliver(held)  # nobody waits for its answer any more

    @precondition(lambda self: any(self.net.late.values()))
    @rule(device=st.integers(0, DEVICES - 1))
    def an_old_answer_comes_back(self, device: int) -> None:
        if self.net.late[device]:
            self.net.misdeliver.add(device)

    @rule(now=st.booleans())
    def the_agency_restarts(self, now: bool) -> None:
        if now:
            self.agency.restart()

    @rule(minutes=st.integers(1, 5))
    def time_passes_at_the_agency(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)  # abandoned claims go stale after 60 s

    @precondition(lambda self: any(lp.acked for lp in self.laptops))
    @rule(
        device=st.integers(0, DEVICES - 1),
        pick=st.integers(0, 10_000),
        decision=st.sampled_from(["approved", "returned"]),
    )
    def a_supervisor_decides(self, device: int, pick: int, decision: str) -> None:
        laptop = self.laptops[device]
        on_agency = {
            r.entity_id
            for r in self.agency.storage.records.find(
                kinds=["note"], device_id=laptop.device_id, limit=100_000
            )
        }
        if not on_agency:
            return
        note_id = sorted(on_agency)[pick % len(on_agency)]
        comment = f"feedback {next(self.counter)}"
        reviewer = Reviewer(self.agency.storage, self.reviewer_keys, clock=self.clock)
        try:
            reviewer.send_feedback(laptop.device_id, note_id, decision, comment, "Supervisor Sam")
        except PeerDeskError:
            return  # e.g. already approved: the agency refused, nothing was queued
        laptop.feedback.setdefault(note_id, set()).add(comment)

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def acknowledged_records_are_on_the_agency_exactly_once(self) -> None:
        type(self).steps += 1
        for laptop in self.laptops:
            stored = self.agency.storage.records.find(device_id=laptop.device_id, limit=1_000_000)
            by_op = Counter(r.op_id for r in stored)
            assert all(n == 1 for n in by_op.values()), "an op id is stored twice"
            seqs = {r.op_id: r.seq for r in stored}
            outbox = laptop.outbox()
            for op, (state, seq) in outbox.items():
                if state == "acked":
                    assert op in seqs, f"laptop {laptop.index}: acked {op} is not on the agency"
                    assert seqs[op] == seq, f"laptop {laptop.index}: {op} acked with another seq"
            phantoms = set(seqs) - set(outbox)
            assert not phantoms, f"the agency holds records laptop {laptop.index} never made"

    @invariant()
    def nothing_acknowledged_is_lost_on_the_laptop(self) -> None:
        for laptop in self.laptops:
            acked = {op for op, (state, _) in laptop.outbox().items() if state == "acked"}
            lost = laptop.acked - acked
            assert not lost, f"laptop {laptop.index} lost {len(lost)} acknowledgement(s)"
            laptop.acked = acked

    @invariant()
    def signed_notes_never_change(self) -> None:
        for laptop in self.laptops:
            for note_id, (body, goals, signed_at) in laptop.signed.items():
                note = laptop.session.notes.get(note_id)
                assert dict(note.body) == body and tuple(note.goals) == goals
                assert note.signed_at is not None and note.signed_at.isoformat() == signed_at

    @invariant()
    def feedback_reaches_the_right_laptop_only(self) -> None:
        for laptop in self.laptops:
            for (note_id,) in laptop.session._db.execute("SELECT DISTINCT note_id FROM feedback"):
                assert note_id in laptop.signed, (
                    f"laptop {laptop.index} got feedback on a note it never wrote"
                )
                got = {f.comment for f in laptop.session.notes.feedback_for(note_id).items}
                assert got <= laptop.feedback.get(note_id, set()), (
                    f"laptop {laptop.index} holds feedback that was sent to another laptop"
                )

    # -- helpers and the end of an example -----------------------------------------------------

    def _sync(self, laptop: Laptop) -> None:
        type(self).syncs += 1
        try:
            for _ in laptop.session.link.sync(
                OPTIONS,
                transport=self.net.transport(laptop.index),
                sleep=lambda _s: None,
                rng=random.Random(laptop.index),
            ):
                pass
        except (SyncError, IntegrityError):
            # unreachable after retries, or an answer that was not for this batch
            type(self).failed_syncs += 1

    def _settle(self) -> None:
        """The network heals; late requests arrive; every laptop syncs until done."""
        for faults in self.net.faults.values():
            faults.clear()
        self.net.misdeliver.clear()
        while self.net.delayed:
            self.agency.deliver(self.net.delayed.pop(0))
        self.clock.advance(minutes=10)
        for laptop in self.laptops:
            for _ in range(3):
                self._sync(laptop)
                status = laptop.session.link.status()
                if status.pending == 0:
                    break
            status = laptop.session.link.status()
            assert status.pending == 0 and status.quarantined == 0, (
                f"laptop {laptop.index} still has {status.pending} pending, "
                f"{status.quarantined} set aside after the network healed"
            )
        # pull the last feedback (the agency may have queued it after a laptop's sync)
        for laptop in self.laptops:
            self._sync(laptop)

    def _check_everything_arrived(self) -> None:
        reviewer = Reviewer(self.agency.storage, self.reviewer_keys)
        for laptop in self.laptops:
            stored = self.agency.storage.records.find(device_id=laptop.device_id, limit=1_000_000)
            outbox = laptop.outbox()
            missing = set(outbox) - {r.op_id for r in stored}
            assert not missing, f"laptop {laptop.index}: {len(missing)} record(s) never arrived"
            assert Counter(r.op_id for r in stored) == Counter(set(outbox)), "not exactly once"
            notes: Counter[str] = Counter()
            for rec in stored:
                if rec.kind == "note":
                    notes[rec.entity_id] += 1
                    body = reviewer.open(rec).payload["body"]
                    if rec.entity_id in laptop.signed:
                        assert body == laptop.signed[rec.entity_id][0], "a signed note changed"
                elif rec.kind == "addendum":
                    payload = reviewer.open(rec).payload
                    own = str(payload.get("id", rec.entity_id))
                    if own in laptop.addenda:
                        assert payload["text"] == laptop.addenda[own][1]
                elif rec.kind == "trip" and rec.entity_id in laptop.trips:
                    assert reviewer.open(rec).payload["destination"] == laptop.trips[rec.entity_id]
            assert set(laptop.signed) <= set(notes) and max(notes.values(), default=1) == 1
            for note_id, comments in laptop.feedback.items():
                got = {f.comment for f in laptop.session.notes.feedback_for(note_id).items}
                assert got == comments, f"laptop {laptop.index}: feedback on {note_id} missing"

    def teardown(self) -> None:
        try:
            self._settle()
            self._check_everything_arrived()
            type(self).faults.update(self.net.used)
            type(self).restarts += self.agency.restarts
        finally:
            for laptop in self.laptops:
                laptop.session.close()
            self.agency.stop()
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def fast_unlock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example unlocks the same three profiles: remember each Argon2id result
    (a pure function of passphrase and parameters) instead of deriving it again."""
    monkeypatch.setattr(vault_module, "derive_key", functools.cache(kdf.derive_key))


@pytest.mark.slow
def test_sync_model_loses_nothing_and_duplicates_nothing(template: Template, fast_unlock) -> None:
    SyncModel.template = template
    examples = int_budget("model_examples", 15)
    steps = int_budget("model_steps", 30, minimum=5, scaled=False)
    run_state_machine_as_test(
        SyncModel,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    record(
        "model",
        examples=SyncModel.examples,
        failures=0,
        steps=SyncModel.steps,
        syncs=SyncModel.syncs,
        syncs_that_gave_up=SyncModel.failed_syncs,
        agency_restarts=SyncModel.restarts,
        faults=dict(SyncModel.faults),
    )
    assert SyncModel.examples >= examples
