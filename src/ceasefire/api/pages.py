"""Dashboard pages (server-rendered Jinja2): the map with timeline and filters, incident pages
with highlighted evidence, the violation and commitment boards, the review queue and articles.

Every page depends on ``viewer`` (the signed-in user, shown in the header). Ingested text is only
ever rendered through autoescape or :func:`ceasefire.api.highlight.highlight`; no template uses
``|safe`` on it. Review actions and history are placeholders the review workflow fills.
"""

# no ``from __future__ import annotations``: FastAPI must see the local ``Viewer`` alias
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ceasefire import __version__
from ceasefire.api.boards import (
    DETERMINATIONS,
    PAGE_SIZE,
    evidence_marks,
    page_filters,
    violation_board,
)
from ceasefire.api.highlight import highlight
from ceasefire.api.views import ReadContext, incident_detail
from ceasefire.domain.incidents import IncidentStatus, Stance
from ceasefire.domain.reviews import EditableField
from ceasefire.domain.users import Role, User
from ceasefire.errors import NotFoundError
from ceasefire.services.fusion import commitment_states
from ceasefire.storage.search import EventFilter, EventQueries

BASEMAP_CREDIT = (
    "Country outlines: Natural Earth (public domain), via the world-atlas TopoJSON package."
)


def build_pages(
    context: ReadContext, templates: Jinja2Templates, viewer: Callable[..., Any]
) -> APIRouter:
    """The dashboard's HTML pages; ``viewer`` is the dependency that returns the signed-in user
    (or raises :class:`~ceasefire.errors.AuthenticationError`, shown as a page with a log-in
    link)."""
    router = APIRouter(include_in_schema=False)
    Viewer = Annotated[User, Depends(viewer)]  # noqa: N806 (a type alias)
    store = context.store
    events = EventQueries(store)

    def render(request: Request, name: str, user: User, **values: Any) -> HTMLResponse:
        who = getattr(request.state, "identity", None)  # set by the sign-in dependency
        values.update(
            user=user,
            version=__version__,
            path=request.url.path,
            csrf_token=getattr(who, "csrf_token", None),
            can_review=user.role.allows(Role.ANALYST),
            can_decide=user.role.allows(Role.SUPERVISOR),
        )
        return templates.TemplateResponse(request, name, values)

    def choices() -> dict[str, Any]:
        profile, taxonomy = context.profile()
        types = sorted(
            {(t.acled or t.id, t.name) for family in taxonomy.families for t in family.types}
        )
        return {
            "types": types,
            "statuses": [s.value for s in IncidentStatus],
            "sides": [(s.id, s.name) for s in profile.spec.sides],
        }

    @router.get("/", response_class=HTMLResponse)
    def dashboard(request: Request, user: Viewer) -> HTMLResponse:
        """Map, timeline and a table of incidents, all for the filters in the URL."""
        filters = page_filters(request.query_params)
        found = context.incidents.find(filters.search)
        total = context.incidents.count(filters.search)
        offset = filters.search.offset
        return render(
            request,
            "dashboard.html",
            user,
            filters=filters,
            incidents=found,
            total=total,
            offset=offset,
            previous=filters.page_link(max(0, offset - PAGE_SIZE)) if offset else None,
            next=filters.page_link(offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
            map_url="/api/map?" + filters.query,
            timeline_url="/api/timeline?" + filters.query,
            basemap_credit=BASEMAP_CREDIT,
            **choices(),
        )

    @router.get("/incidents/{incident_id}", response_class=HTMLResponse)
    def incident_page(request: Request, incident_id: str, user: Viewer) -> HTMLResponse:
        """One incident: its fields, claims side by side, sources by independent origin,
        assessments with rationale, and each article with the evidence highlighted."""
        detail = incident_detail(context, incident_id)
        wanted = set(detail.incident.event_ids)
        by_article: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for report in detail.reports:
            by_article[report.event.article_id].append((report.event_id, report.event))
        articles = []
        for article_id in detail.article_ids:
            stored = store.get_article(article_id)
            if stored is None:
                continue
            marks = evidence_marks(by_article[article_id], wanted)
            articles.append(
                {
                    "stored": stored,
                    "body": highlight(stored.article.text, marks),
                    "evidence": len(marks),
                }
            )
        stances = {s.value: [c for c in detail.incident.claims if c.stance is s] for s in Stance}
        history = context.reviews().history(user, "incident", detail.incident.id)
        return render(
            request,
            "incident.html",
            user,
            detail=detail,
            incident=detail.incident,
            stances=stances,
            articles=articles,
            history=history,
            fields=[f.value for f in EditableField],
        )

    @router.get("/violations", response_class=HTMLResponse)
    def violations(
        request: Request,
        user: Viewer,
        agreement: str | None = None,
        party: str | None = None,
        determination: str | None = None,
    ) -> HTMLResponse:
        """Possible violations per agreement and party, with counts by determination."""
        profile, _taxonomy = context.profile()
        names = {a.id: a.name for a in profile.agreements.values()}
        found = context.incidents.list_assessments(
            agreement or None, party or None, determination or None
        )
        return render(
            request,
            "violations.html",
            user,
            boards=violation_board(found, context.incidents, names),
            agreements=sorted(names.items()),
            determinations=DETERMINATIONS,
            chosen={
                "agreement": agreement or "",
                "party": party or "",
                "determination": determination or "",
            },
        )

    @router.get("/commitments", response_class=HTMLResponse)
    def commitments(request: Request, user: Viewer, as_of: str | None = None) -> HTMLResponse:
        """Every obligation with its deadline and state as of a day (default today)."""
        try:
            day = date.fromisoformat(as_of) if as_of else date.today()
        except ValueError:
            day = date.today()
        profile, taxonomy = context.profile()
        states = commitment_states(store, profile, taxonomy, day)
        names = {a.id: a.name for a in profile.agreements.values()}
        grouped: dict[str, list[Any]] = defaultdict(list)
        for state in sorted(states, key=lambda c: (c.agreement_id, c.due or date.max, c.term_id)):
            grouped[state.agreement_id].append(state)
        return render(
            request,
            "commitments.html",
            user,
            as_of=day,
            grouped=dict(grouped),
            names=names,
        )

    @router.get("/review", response_class=HTMLResponse)
    def review(
        request: Request, user: Viewer, mine: bool = False, unassigned: bool = False
    ) -> HTMLResponse:
        """Incidents by need (undecided possible violations, disputed, new), with who holds
        each one; analysts take or release them here."""
        page = context.reviews().queue(user, mine=mine, unassigned=unassigned, limit=200)
        return render(
            request,
            "review.html",
            user,
            queue=page.items,
            total=page.total,
            mine=mine,
            unassigned=unassigned,
        )

    @router.get("/articles", response_class=HTMLResponse)
    def articles(request: Request, user: Viewer, offset: int = 0) -> HTMLResponse:
        """Stored articles, newest first."""
        offset = max(0, offset)
        return render(
            request,
            "articles.html",
            user,
            articles=store.list_articles(limit=PAGE_SIZE, offset=offset),
            total=store.count_articles(),
            offset=offset,
            page_size=PAGE_SIZE,
        )

    @router.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: str, user: Viewer) -> HTMLResponse:
        """One article with the evidence of every event extracted from it highlighted."""
        stored = store.get_article(article_id)
        if stored is None:
            raise NotFoundError(f"no article {article_id}")
        found = events.find(EventFilter(article_id=article_id, limit=10_000))
        owners = context.incidents.incident_of_events([i for i, _ in found])
        return render(
            request,
            "article.html",
            user,
            stored=stored,
            body=highlight(stored.article.text, evidence_marks(found)),
            events=[(i, e, owners.get(i)) for i, e in found],
        )

    return router
