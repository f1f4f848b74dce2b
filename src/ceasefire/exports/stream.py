"""Streaming exports: keyset-paginated reads, the role's visibility rule, cursors and ``since``.

Incidents are read in pages of ``batch`` ordered by id (the primary key), so memory holds one
page at a time whatever the size of the database. A **cursor** is an opaque string naming the
last incident written; an export started from it writes exactly the incidents after it (with the
same filters). ``since`` keeps the incidents written (by fusion or a review) at or after a time:
an incremental export. ``limit`` bounds the incidents read (those the role may not see are read
and skipped), and the next cursor is known before the first byte is written, so the API can put
it in a header.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ceasefire.domain.incidents import Incident
from ceasefire.domain.users import Role
from ceasefire.domain.visibility import assessment_visible, incident_visible
from ceasefire.errors import CeasefireError
from ceasefire.exports.acled import acled_csv
from ceasefire.exports.geojson import geojson
from ceasefire.exports.jsonl import jsonl
from ceasefire.exports.plover import plover
from ceasefire.exports.records import (
    EvidenceRef,
    ExportFormat,
    ExportRecord,
    FormatContext,
    Formatter,
)
from ceasefire.storage.incidents import IncidentFilter
from ceasefire.storage.search import ExportQueries

FORMATTERS: dict[ExportFormat, Formatter] = {
    ExportFormat.ACLED_CSV: acled_csv,
    ExportFormat.GEOJSON: geojson,
    ExportFormat.JSONL: jsonl,
    ExportFormat.PLOVER: plover,
}
_CURSOR_VERSION = 1


class ExportError(CeasefireError):
    """An export request that cannot be met (a malformed cursor, a bad time)."""

    code = "export"


def encode_cursor(last_id: str) -> str:
    """The opaque cursor after the incident ``last_id``."""
    raw = json.dumps({"v": _CURSOR_VERSION, "after": last_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The incident id a cursor names; :class:`ExportError` when it is not one of ours."""
    try:
        padded = cursor.strip() + "=" * (-len(cursor.strip()) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data.get("v") != _CURSOR_VERSION or not isinstance(data.get("after"), str):
            raise ValueError
        return str(data["after"])
    except (ValueError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ExportError(
            f"{cursor!r} is not an export cursor: pass the cursor a previous export printed"
        ) from exc


def parse_since(value: str) -> datetime:
    """``--since``: unix seconds or an ISO 8601 date or time (UTC unless it says otherwise)."""
    text = value.strip()
    try:
        moment = datetime.fromtimestamp(float(text), UTC)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ExportError(
                f"--since must be unix seconds or an ISO 8601 time, not {value!r}"
            ) from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export and for whom."""

    format: ExportFormat
    where: IncidentFilter = field(default_factory=IncidentFilter)
    role: Role = Role.VIEWER
    since: datetime | None = None
    cursor: str | None = None
    limit: int | None = None  # at most this many incidents read
    include_process: bool = False  # ACLED CSV only
    batch: int = 500


@dataclass(slots=True)
class ExportProgress:
    """What a running export has done; ``next_cursor`` is set when incidents remain after it."""

    read: int = 0
    written: int = 0
    hidden: int = 0  # not visible to the role
    skipped: int = 0  # process incidents left out of an ACLED CSV
    last_id: str | None = None
    next_cursor: str | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def resume_cursor(self) -> str | None:
        """The cursor to resume an interrupted export from: after the last incident whose text
        the reader took before asking for more. Resuming may repeat the incident that was being
        written when the export stopped, never loses one."""
        return encode_cursor(self.last_id) if self.last_id is not None else None


def _db_time(queries: ExportQueries, moment: datetime) -> datetime:
    """SQLite keeps naive UTC times: compare with naive UTC there."""
    if queries.engine.dialect.name == "sqlite":
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


class Export:
    """One export: plan it (``prepare`` finds the next cursor when ``limit`` is set), then
    iterate :meth:`chunks`. Holds one page of incidents at a time."""

    def __init__(
        self, queries: ExportQueries, context: FormatContext, request: ExportRequest
    ) -> None:
        self.queries = queries
        self.context = context
        self.request = request
        self.progress = ExportProgress()
        self._after = decode_cursor(request.cursor) if request.cursor else None
        self._since = _db_time(queries, request.since) if request.since else None
        self._until: str | None = None
        if request.limit is not None:
            if request.limit < 1:
                raise ExportError("the limit must be at least 1")
            self._until, more = queries.export_bound(
                request.where, self._since, self._after, request.limit
            )
            if more and self._until is not None:
                self.progress.next_cursor = encode_cursor(self._until)
            # without a ``limit``-th incident, fewer remain: all of them are exported

    def records(self) -> Iterator[ExportRecord]:
        """The visible records, page by page."""
        request, progress = self.request, self.progress
        after = self._after
        needs_evidence = request.format is ExportFormat.JSONL
        acled_only = request.format is ExportFormat.ACLED_CSV and not request.include_process
        while True:
            page = self.queries.export_page(
                request.where, self._since, after, request.batch, self._until
            )
            if not page.rows:
                return
            visible = [(i, t) for i, t in page.rows if incident_visible(i, request.role)]
            progress.hidden += len(page.rows) - len(visible)
            if acled_only:
                events = [(i, t) for i, t in visible if i.family == "violence"]
                progress.skipped += len(visible) - len(events)
                visible = events
            ids = [i.id for i, _ in visible]
            assessments = self.queries.assessments_of(ids)
            evidence = self._evidence(visible) if needs_evidence else {}
            for incident, updated in visible:
                seen = tuple(
                    a
                    for a in assessments.get(incident.id, ())
                    if assessment_visible(a, request.role)
                )
                yield ExportRecord(incident, updated, seen, evidence.get(incident.id, ()))
                progress.written += 1
                # the reader asked for more: this one was written (resuming repeats at most one)
                progress.last_id = incident.id
            progress.read += len(page.rows)
            after = progress.last_id = page.last_id
            if len(page.rows) < request.batch:
                return

    def _evidence(
        self, visible: list[tuple[Incident, datetime]]
    ) -> dict[str, tuple[EvidenceRef, ...]]:
        """The member events of these incidents with their outlets, by incident."""
        owner = {
            event_id: incident.id for incident, _ in visible for event_id in incident.event_ids
        }
        found: dict[str, list[EvidenceRef]] = {}
        for report in self.queries.reports(event_ids=list(owner)):
            ref = EvidenceRef(report.event_id, report.event, report.outlet)
            found.setdefault(owner[report.event_id], []).append(ref)
        return {key: tuple(refs) for key, refs in found.items()}

    def chunks(self) -> Iterator[str]:
        """The export's text, chunk by chunk."""
        context = self.context
        if context.include_process != self.request.include_process:
            context = FormatContext(context.profile, context.taxonomy, self.request.include_process)
        yield from FORMATTERS[self.request.format](self.records(), context)
