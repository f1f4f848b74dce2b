"""The report as Markdown: headings, tables and quotes; ingested text escaped so that it stays
text (no raw HTML, links or table breaks can come from a report's words)."""

from __future__ import annotations

import re

from ceasefire import __version__
from ceasefire.domain.incidents import Incident
from ceasefire.domain.users import Role
from ceasefire.reports.data import LISTED, IncidentEntry, SituationReport

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
DETERMINATIONS = ("confirmed", "corroborated", "alleged", "indeterminate")


def escape(text: object) -> str:
    """``text`` as literal Markdown: special characters backslash-escaped, on one line."""
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", flat).replace("&", "&amp;")


def _title(incident: Incident) -> str:
    day = incident.date.start.isoformat() if incident.date else "undated"
    place = f" · {incident.location.name}" if incident.location else ""
    return escape(f"{day} · {incident.sub_event_type}{place}")


def _deaths(incident: Incident) -> str:
    low, high = incident.fatalities, incident.fatalities_high
    if low is None:
        return "unknown"
    return f"{low}–{high}" if high is not None and high != low else str(low)


def _tally(report: SituationReport, table: dict[str, dict[str, int]], what: str) -> list[str]:
    lines = [f"| {what} | {' | '.join(DETERMINATIONS)} | total |", "|---" * 6 + "|"]
    for key, counts in table.items():
        cells = " | ".join(str(counts.get(d, 0)) for d in DETERMINATIONS)
        lines.append(f"| {escape(report.name(key))} | {cells} | {sum(counts.values())} |")
    if not table:
        lines.append("| none | | | | | |")
    return [*lines, ""]


def _citations(entry: IncidentEntry) -> list[str]:
    lines = []
    for n, c in enumerate(entry.citations, 1):
        day = c.published.isoformat() if c.published else "undated"
        link = f", <{c.link.replace('>', '%3E').replace(' ', '%20')}>" if c.link else ""
        lines.append(f"{n}. {escape(c.outlet)}, {day}{link}")
        lines.append(f"   > {escape(c.evidence)}")
    return [*(lines or ["no citation stored"]), ""]


def _actor(report: SituationReport, incident: Incident) -> str:
    one, two = incident.actor1, incident.actor2
    text = report.name(one.id) if one and one.id else (one.name if one else "unknown actor")
    if two is not None:
        text += " against " + (report.name(two.id) if two.id else two.name)
    return escape(text)


def _incident(report: SituationReport, entry: IncidentEntry) -> list[str]:
    i = entry.incident
    lines = [
        f"### {_title(i)}",
        "",
        f"{_actor(report, i)} · {escape(i.event_type)} · fatalities {_deaths(i)} · "
        f"{i.independent_sources} independent source(s) · {i.status.value} · "
        f"date precision {i.date.time_precision if i.date else '—'}",
        "",
    ]
    for a in entry.violations:
        lines.append(
            f"**Possible violation ({a.determination.value})** of "
            f"{escape(report.name(a.agreement_id))}, term `{a.term_id}`, "
            f"by {escape(report.name(a.party))}."
        )
        lines.append("")
    return lines + _citations(entry)


def _disputed(report: SituationReport, entry: IncidentEntry) -> list[str]:
    lines = [
        f"### {_title(entry.incident)}",
        "",
        "| stance | by | outlet | claim |",
        "|---|---|---|---|",
    ]
    for c in entry.incident.claims:
        by = (report.name(c.by.id) if c.by.id else c.by.name) if c.by else "neutral source"
        lines.append(f"| {c.stance.value} | {escape(by)} | {escape(c.outlet)} | {escape(c.text)} |")
    return [*lines, "", *_citations(entry)]


def _listing(report: SituationReport) -> list[str]:
    lines = [
        "| id | date | type | actors | place | deaths | sources | status | possible violations |",
        "|---" * 9 + "|",
    ]
    if len(report.incidents) > LISTED:
        lines[:0] = [f"The first {LISTED} of {len(report.incidents)} incidents.", ""]
    for i in report.incidents[:LISTED]:
        day = i.date.start.isoformat() if i.date else "—"
        place = escape(i.location.name) if i.location else "—"
        flagged = "; ".join(
            f"{escape(report.name(a.agreement_id))}: {a.determination.value}"
            for a in report.violations_of(i.id)
        )
        lines.append(
            f"| `{i.id[:10]}` | {day} | {escape(i.sub_event_type)} | {_actor(report, i)} | "
            f"{place} | {_deaths(i)} | {i.independent_sources} | {i.status.value} | {flagged} |"
        )
    return lines


def markdown(
    report: SituationReport, images: dict[str, str], period: str, fatalities: str, credit: str
) -> str:
    """The report as Markdown; ``images`` maps map/per_day/per_party to links (files or data
    URIs)."""
    h, q = report.headline, report.query
    scope = "".join(
        [
            f" · area {escape(q.area)}" if q.area else "",
            f" · party {escape(report.name(q.party))}" if q.party else "",
        ]
    )
    out = [
        f"# Situation report: {escape(report.profile_name)}",
        "",
        f"Period **{period}**{scope} · audience: {q.role.value} · generated "
        f"{report.generated:%Y-%m-%d %H:%M} UTC by ceasefire {__version__}",
        "",
        "## Headline numbers",
        "",
        "| what | number |",
        "|---|---|",
        f"| incidents | {h.incidents} |",
        f"| incidents with possible violations | {h.possible_violations} |",
        f"| confirmed violations | {h.confirmed_violations} |",
        f"| fatalities (range) | {fatalities} ({h.incidents_with_fatalities} incidents with a "
        "figure) |",
        *(f"| status: {s} | {n} |" for s, n in h.by_status.items()),
        "",
        "### Possible violations by party",
        "",
        *_tally(report, report.by_party, "party"),
        "### Possible violations by agreement",
        "",
        *_tally(report, report.by_agreement, "agreement"),
        "## Map and charts",
        "",
        f"![Map of the period's incidents]({images['map']})",
        "",
        f"*{credit}. Red: incidents with a possible violation; blue: other incidents.*",
        "",
        f"![Incidents per day by type]({images['per_day']})",
        "",
        f"![Possible violations per party]({images['per_party']})",
        "",
        "## Key incidents",
        "",
    ]
    for entry in report.key:
        out += _incident(report, entry)
    if not report.key:
        out += ["No incident in the period.", ""]
    out += ["## Disputed incidents", ""]
    for entry in report.disputed:
        out += _disputed(report, entry)
    if not report.disputed:
        out += ["No incident was disputed in the period.", ""]
    out += [
        f"## Commitments and deadlines (as of {q.date_to.isoformat()})",
        "",
        "| agreement | obligation | due | state |",
        "|---|---|---|---|",
    ]
    for c in report.commitments:
        state = c.status.value + (f" (override: {escape(c.override.reason)})" if c.override else "")
        due = c.due.isoformat() if c.due else "—"
        out.append(
            f"| {escape(report.name(c.agreement_id))} | {escape(c.text)} | {due} | {state} |"
        )
    out += ["", "## All incidents of the period", "", *_listing(report)]
    sources = ", ".join(f"{escape(o)} ({n})" for o, n in report.sources.items()) or "none"
    out += [
        "",
        "## Method",
        "",
        f"**Sources.** {len(report.sources)} outlets are cited: {sources}.",
        "",
        "**Independence.** Copies of one wire story and near-identical syndicated texts count as "
        "one source; an outlet run by a party states that party's claims.",
        "",
        "**Determinations.** *Alleged*: one independent source, or disputed. *Corroborated*: two "
        "or more independent sources. *Indeterminate*: the data cannot tell whether the term "
        "applied. *Confirmed*: a supervisor determined it is a violation."
        + (
            " This report is for the public: only corroborated or confirmed possible violations "
            "and incidents not rejected by a reviewer are shown."
            if not q.role.allows(Role.ANALYST)
            else ""
        ),
        "",
        "**Precision.** ACLED time precision: 1 day, 2 week, 3 month or more; geo precision: 1 the "
        "place, 2 near it or part of a region, 3 the region. Fatalities: lowest credible figure "
        "to highest reported.",
        "",
        f"*{credit}. Charts drawn with matplotlib.*",
        "",
    ]
    return "\n".join(out)
