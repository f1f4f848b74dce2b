"""Review workflow over HTTP: the queue, the history, and every write of an analyst or a
supervisor, as JSON endpoints for scripts and as form posts for the dashboard.

Each write needs a signed-in user (session cookie with its CSRF token, or a bearer token) and
the role the service checks (:mod:`ceasefire.services.review`): analysts confirm, reject, edit,
merge, split and hold incidents; supervisors also decide violations and override commitments.
Form posts answer with a redirect back to the incident page (303), so a reload never repeats them.
"""

# no ``from __future__ import annotations``: FastAPI must see the local ``Reader`` alias
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ceasefire.api.security import get_auth
from ceasefire.api.serialize import incident_json
from ceasefire.api.views import ReadContext
from ceasefire.domain.agreements import CommitmentOverride, CommitmentStatus
from ceasefire.domain.incidents import Incident
from ceasefire.domain.reviews import Review, ReviewInputError
from ceasefire.domain.users import Role, User
from ceasefire.services.review import ReviewService
from ceasefire.storage.incidents import IncidentRepository

INCIDENT_ACTIONS = ("assign", "unassign", "confirm", "reject", "reopen", "edit", "merge", "split")
VIOLATION_ACTIONS = ("confirm", "dismiss", "reopen")


class IncidentAction(BaseModel):
    """What to do with an incident; ``reason`` is required for all but confirm and assign."""

    action: str = Field(description=" | ".join(INCIDENT_ACTIONS))
    reason: str | None = None
    field: str | None = Field(default=None, description="edit: the field to correct")
    value: Any = Field(default=None, description="edit: the new value (JSON form)")
    other: str | None = Field(default=None, description="merge: the other incident's id")
    events: list[str] = Field(default_factory=list, description="split: event ids to split out")
    assignee: str | None = Field(default=None, description="assign: username (supervisors)")
    force: bool = False


class ViolationAction(BaseModel):
    action: str = Field(description=" | ".join(VIOLATION_ACTIONS))
    reason: str


class OverrideAction(BaseModel):
    status: str
    reason: str


def review_json(review: Review) -> dict[str, Any]:
    return {
        "id": review.id,
        "at": review.at.isoformat(),
        "user": review.username,
        "role": review.role.value,
        "target_type": review.target_type.value,
        "target_id": review.target_id,
        "action": review.action.value,
        "before": dict(review.before),
        "after": dict(review.after),
        "reason": review.reason,
    }


def act_on_incident(
    service: ReviewService,
    user: User,
    incident_id: str,
    act: IncidentAction,
    assignee: User | None = None,
) -> Incident | None:
    """Run one incident action; the incident as it is afterwards (None for holds)."""
    reason = act.reason
    if act.action == "assign":
        service.assign(user, incident_id, assignee=assignee, force=act.force, reason=reason)
        return None
    if act.action == "unassign":
        service.unassign(user, incident_id, force=act.force, reason=reason)
        return None
    if act.action == "confirm":
        return service.confirm(user, incident_id, reason)
    if act.action in ("reject", "reopen", "edit", "merge", "split"):
        text = reason or ""
        if act.action == "reject":
            return service.reject(user, incident_id, text)
        if act.action == "reopen":
            return service.reopen(user, incident_id, text)
        if act.action == "edit":
            return service.edit(user, incident_id, act.field or "", act.value, text)
        if act.action == "merge":
            return service.merge(user, incident_id, act.other or "", text)
        return service.split(user, incident_id, act.events, text)[0]
    raise ReviewInputError(f"unknown action {act.action!r}: one of {', '.join(INCIDENT_ACTIONS)}")


def act_on_violation(
    service: ReviewService, user: User, incident_id: str, agreement: str, term: str, act: Any
) -> Any:
    if act.action == "confirm":
        return service.confirm_violation(user, incident_id, agreement, term, act.reason)
    if act.action == "dismiss":
        return service.dismiss_violation(user, incident_id, agreement, term, act.reason)
    if act.action == "reopen":
        return service.reopen_violation(user, incident_id, agreement, term, act.reason)
    raise ReviewInputError(f"unknown action {act.action!r}: one of {', '.join(VIOLATION_ACTIONS)}")


def _form_value(raw: str | None) -> Any:
    """A form's value field: JSON when it parses ("12", "null", '{"id": "lna"}'), else text."""
    import json

    if raw is None or raw == "":
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def build_review_api(context: ReadContext, viewer: Callable[..., Any]) -> APIRouter:
    """JSON and form endpoints of the review workflow; ``viewer`` returns the signed-in user
    (the service then checks the role each action needs)."""
    router = APIRouter(tags=["review"])
    Reader = Annotated[User, Depends(viewer)]  # noqa: N806 (a type alias)
    incidents = context.incidents

    @router.get("/api/review/queue")
    def queue(
        user: Reader,
        mine: bool = False,
        unassigned: bool = False,
        status: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Incidents by need: undecided possible violations, disputed, new, then the rest."""
        page = context.reviews().queue(
            user, mine=mine, unassigned=unassigned, status=status, limit=limit, offset=offset
        )
        return {
            "total": page.total,
            "limit": limit,
            "offset": offset,
            "items": [
                {
                    "incident": incident_json(item.incident),
                    "need": item.need.name.lower(),
                    "open_violations": item.open_violations,
                    "held_by": item.held_by,
                    "held_since": item.held_since.isoformat() if item.held_since else None,
                }
                for item in page.items
            ],
        }

    @router.get("/api/reviews")
    def history(user: Reader, target_id: str, target_type: str = "incident") -> dict[str, Any]:
        """The audit trail of an incident (or of a possible violation)."""
        entries = context.reviews().history(user, target_type, target_id)
        return {"items": [review_json(r) for r in entries]}

    @router.post("/api/incidents/{incident_id}/review")
    def review_incident(
        request: Request, incident_id: str, act: IncidentAction, user: Reader
    ) -> dict[str, Any]:
        """Assign, unassign, confirm, reject, reopen, edit, merge or split an incident."""
        assignee = get_auth(request).get(act.assignee).user if act.assignee else None
        after = act_on_incident(context.reviews(), user, incident_id, act, assignee)
        return {"incident": incident_json(after) if after is not None else None}

    @router.post("/api/incidents/{incident_id}/violations/{agreement}/{term}")
    def review_violation(
        incident_id: str, agreement: str, term: str, act: ViolationAction, user: Reader
    ) -> dict[str, Any]:
        """Confirm or dismiss a possible violation (supervisors), or reopen the decision."""
        assessment = act_on_violation(context.reviews(), user, incident_id, agreement, term, act)
        return {"determination": assessment.determination.value if assessment else None}

    @router.post("/api/commitments/{term}/override")
    def override(term: str, act: OverrideAction, user: Reader) -> dict[str, Any]:
        """A supervisor's state for an obligation, with a reason; it wins over the computed one."""
        set_commitment_override(context.reviews(), incidents, user, term, act.status, act.reason)
        return {"term": term, "status": act.status}

    # --- the dashboard's forms ---------------------------------------------------------------
    @router.post("/incidents/{incident_id}/review", include_in_schema=False)
    async def review_form(request: Request, incident_id: str, user: Reader) -> RedirectResponse:
        form = await request.form()
        act = IncidentAction(
            action=str(form.get("action", "")),
            reason=str(form.get("reason") or "") or None,
            field=str(form.get("field") or "") or None,
            value=_form_value(str(form.get("value") or "")),
            other=str(form.get("other") or "") or None,
            events=[e for e in str(form.get("events") or "").replace(",", " ").split() if e],
            force=form.get("force") == "on",
        )
        after = act_on_incident(context.reviews(), user, incident_id, act)
        target = after.id if after is not None else incident_id
        return RedirectResponse(f"/incidents/{target}#review-history", status_code=303)

    @router.post("/incidents/{incident_id}/violations/{agreement}/{term}", include_in_schema=False)
    async def violation_form(
        request: Request, incident_id: str, agreement: str, term: str, user: Reader
    ) -> RedirectResponse:
        form = await request.form()
        act = ViolationAction(
            action=str(form.get("action", "")), reason=str(form.get("reason", ""))
        )
        act_on_violation(context.reviews(), user, incident_id, agreement, term, act)
        return RedirectResponse(f"/incidents/{incident_id}#review-history", status_code=303)

    return router


def set_commitment_override(
    service: ReviewService,
    incidents: IncidentRepository,
    user: User,
    term: str,
    status: str,
    reason: str,
) -> None:
    """Store a supervisor's commitment state (the term must be one of the profile's)."""
    from ceasefire.errors import NotFoundError, PermissionDeniedError

    if not user.role.allows(Role.SUPERVISOR):
        raise PermissionDeniedError("overriding a commitment needs the supervisor role")
    terms = {o.id for a in service.profile.agreements.values() for o in a.obligations}
    if term not in terms:
        raise NotFoundError(f"no obligation {term!r} in the profile")
    try:
        chosen = CommitmentStatus(status)
    except ValueError as exc:
        raise ReviewInputError(
            f"status must be one of {', '.join(s.value for s in CommitmentStatus)}"
        ) from exc
    if not reason.strip():
        raise ReviewInputError("an override needs a reason")
    incidents.set_override(
        term, CommitmentOverride(chosen, reason.strip(), user.username, date.today())
    )
