"""The supervisor review routes of the agency API (FastAPI), a thin layer over
:class:`peerdesk.agency.supervisors.ReviewServer`; :func:`peerdesk.agency.app.create_app`
includes them. JSON everywhere, binary fields as hex, the supervisor's bearer
credential on every ``/v1/review/`` route (see :mod:`peerdesk.agency.app` for the
list, the statuses and the error body). The request and answer shapes are
:mod:`peerdesk.wire.review`, shared with the supervisor's client.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pydantic import ValidationError as ModelError
from starlette.concurrency import run_in_threadpool

from peerdesk.agency.bodies import TooLarge, TooSlow, read_capped
from peerdesk.agency.models import StoredSegment, Supervisor
from peerdesk.agency.supervisors import ReviewServer
from peerdesk.errors import PeerDeskError, ValidationError
from peerdesk.wire.review import (
    DECISIONS_PATH,
    DEFAULT_PAGE,
    MAX_PAGE,
    MAX_SEQ,
    REVIEW_DEVICES_PATH,
    REVIEW_EVENTS_PATH,
    REVIEW_KEYS_PATH,
    REVIEW_RECORDS_PATH,
    SUPERVISOR_ENROLL_PATH,
    DecisionRequest,
    DecisionResponse,
    GrantJSON,
    GrantsResponse,
    ReviewDeviceJSON,
    ReviewDevicesResponse,
    ReviewEventJSON,
    ReviewEventsResponse,
    ReviewRecordJSON,
    ReviewRecordsResponse,
    ReviewSegmentJSON,
    SupervisorEnrollRequest,
    SupervisorEnrollResponse,
    answer_of,
)

Errors = Callable[..., dict[int | str, dict[str, Any]]]
Failed = Callable[[PeerDeskError, str], JSONResponse]

_DIGITS = re.compile(r"[0-9]{1,19}")


class _SegmentRow:
    """A stored segment with the attribute names of :class:`ReviewSegmentJSON`."""

    def __init__(self, stored: StoredSegment) -> None:
        seg = stored.segment
        self.seq, self.device_id = stored.seq, stored.device_id
        self.kind, self.key_id, self.dictionary = seg.kind, seg.key_id, seg.dictionary
        self.ids, self.sealed = seg.ids, seg.sealed


def _problems(exc: ModelError) -> str:
    """A validation failure in words (the fields and what is wrong, no values)."""
    problems = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        problems.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(problems) or "invalid request"


def review_router(
    review: ReviewServer,
    *,
    errors: Errors,
    failed: Failed,
    refuse: Callable[[int, str, str], JSONResponse],
    body_limit: int,
    read_timeout: Callable[[], float],
) -> APIRouter:
    """The review routes over ``review``. ``errors(*statuses)`` documents the error
    answers and ``failed(exc, what)`` makes one, as for the rest of the API;
    ``refuse(status, code, detail)`` answers a body that is too large (413) or too
    slow (408): a decision's body (at most ``body_limit`` bytes) is read by its
    route, after the credential was checked, within ``read_timeout()`` seconds."""
    router = APIRouter(tags=["review"])

    @router.post(
        SUPERVISOR_ENROLL_PATH,
        response_model=SupervisorEnrollResponse,
        responses=errors(403, 409, 413, 422, 503),
    )
    def enroll_supervisor(request: SupervisorEnrollRequest) -> Any:
        """Register a supervisor with a one-time supervisor invite; returns their
        review credential and team."""
        try:
            done = review.enroll(
                code=request.code,
                supervisor_id=request.supervisor_id,
                name=request.name,
                sign_pub=request.sign_pub,
                box_pub=request.box_pub,
            )
        except PeerDeskError as exc:
            return failed(exc, "supervisor enrollment")
        return JSONResponse(
            answer_of(SupervisorEnrollResponse, done), headers={"Cache-Control": "no-store"}
        )

    supervisor_only: dict[str, Any] = {"security": [{"supervisorCredential": []}]}
    # the decision's body is read by its route (after the credential), not by FastAPI
    decision_body = {
        "required": True,
        "content": {"application/json": {"schema": DecisionRequest.model_json_schema()}},
    }

    def page_query(request: Request) -> None:
        """What FastAPI lets through to an ``int`` query parameter but the document
        does not allow: the parameter twice (FastAPI takes the last one:
        ``?after=true&after=0.0`` was page 0), or a value that is not plain
        decimal digits (pydantic reads ``0.0``, ``+1`` and ``1e3`` as integers)."""
        params = request.query_params
        unknown = sorted(set(params) - {"after", "limit"})
        if unknown:
            raise ValidationError(
                f"unknown query parameter {unknown[0][:40]!r}; use after and limit",
                field="query",
            )
        for name in ("after", "limit"):
            values = params.getlist(name)
            if len(values) > 1:
                raise ValidationError(f"{name} is given more than once", field=name)
            if values and not _DIGITS.fullmatch(values[0]):
                raise ValidationError(f"{name} must be a whole number in digits", field=name)

    def page(
        request: Request,
        fetch: Callable[[Supervisor, int, int], tuple[Sequence[Any], bool]],
        after: int,
        limit: int,
        key: str,
        item: type[BaseModel],
    ) -> Any:
        """One page of a supervisor's ``key`` (records or events) after ``after``;
        a page of records also carries the segments its records name, once each."""
        try:
            page_query(request)
            supervisor = review.authenticate(request.headers.getlist("authorization"))
            found, more = fetch(supervisor, after, limit)
            answer: dict[str, Any] = {key: [answer_of(item, x) for x in found], "more": more}
            if key == "records":
                segs = review.segments(x.segment for x in found if x.segment is not None)
                answer["segments"] = [
                    answer_of(ReviewSegmentJSON, _SegmentRow(s)) for s in segs.values()
                ]
        except PeerDeskError as exc:
            return failed(exc, f"review {key}")
        return JSONResponse(answer)

    @router.get(
        REVIEW_KEYS_PATH,
        response_model=GrantsResponse,
        responses=errors(401, 403, 503),
        openapi_extra=supervisor_only,
    )
    def review_keys(request: Request) -> Any:
        """The review keys granted to this supervisor (sealed to their box key)."""
        try:
            supervisor = review.authenticate(request.headers.getlist("authorization"))
            grants = review.grants(supervisor)
        except PeerDeskError as exc:
            return failed(exc, "review keys")
        body = [answer_of(GrantJSON, g) for g in grants]
        return JSONResponse({"grants": body}, headers={"Cache-Control": "no-store"})

    @router.get(
        REVIEW_DEVICES_PATH,
        response_model=ReviewDevicesResponse,
        responses=errors(401, 403, 503),
        openapi_extra=supervisor_only,
    )
    def review_devices(request: Request) -> Any:
        """The devices of the supervisor's team."""
        try:
            supervisor = review.authenticate(request.headers.getlist("authorization"))
            found = review.devices(supervisor)
        except PeerDeskError as exc:
            return failed(exc, "review devices")
        return JSONResponse({"devices": [answer_of(ReviewDeviceJSON, d) for d in found]})

    @router.get(
        REVIEW_RECORDS_PATH,
        response_model=ReviewRecordsResponse,
        responses=errors(401, 403, 422, 503),
        openapi_extra=supervisor_only,
    )
    def review_records(
        request: Request,
        after: int = Query(0, ge=0, le=MAX_SEQ, description="the last record seq received"),
        limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
    ) -> Any:
        """The team's sealed records after ``after``, in server order (JSON, hex)."""
        return page(request, review.records, after, limit, "records", ReviewRecordJSON)

    @router.get(
        REVIEW_EVENTS_PATH,
        response_model=ReviewEventsResponse,
        responses=errors(401, 403, 422, 503),
        openapi_extra=supervisor_only,
    )
    def review_events(
        request: Request,
        after: int = Query(0, ge=0, le=MAX_SEQ, description="the last event seq received"),
        limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
    ) -> Any:
        """Review state changes of the team's notes after ``after``, oldest first."""
        return page(request, review.events, after, limit, "events", ReviewEventJSON)

    @router.post(
        DECISIONS_PATH,
        response_model=DecisionResponse,
        responses=errors(401, 403, 404, 408, 409, 413, 422, 503),
        openapi_extra={**supervisor_only, "requestBody": decision_body},
    )
    async def review_decision(request: Request) -> Any:
        """Approve or return a note of the team; the sealed feedback is queued for
        the device's next sync. 409 ``note_changed`` if a record of the note came
        after ``seen_seq``, 409 ``already_decided`` if it waits for no decision.
        The credential is checked before the body is read (401 without reading it)."""
        authorization = request.headers.getlist("authorization")
        try:
            supervisor = await run_in_threadpool(review.authenticate, authorization)
        except PeerDeskError as exc:
            return failed(exc, "review decision")
        timeout_s = read_timeout()
        try:
            raw = await read_capped(request, body_limit, timeout_s)
        except TooLarge:
            return refuse(413, "too_large", f"the request body is over {body_limit} bytes")
        except TooSlow:
            return refuse(408, "timeout", f"the request body did not arrive within {timeout_s:g} s")
        if raw is None:  # the client went away
            return JSONResponse(None, status_code=400)
        try:
            body = DecisionRequest.model_validate_json(raw)
        except ModelError as exc:
            return failed(ValidationError(_problems(exc)), "review decision")
        try:
            done = await run_in_threadpool(
                review.decide,
                supervisor,
                device_id=body.device_id,
                note_id=body.note_id,
                decision=body.decision,
                seen_seq=body.seen_seq,
                reviewer=body.reviewer,
                sealed_feedback=body.sealed_feedback,
            )
        except PeerDeskError as exc:
            return failed(exc, "review decision")
        return JSONResponse(answer_of(DecisionResponse, done))

    return router
