"""``incident_days``: how many dated incidents start on each day, by event type and last day.

The dashboard's timeline counts the incidents matching its filters per day and type. With no
filter, or only dates and a type, those counts come from this table (a row per day, type and
last day that holds incidents: tens of thousands of rows for 100,000 incidents) instead of from
a walk of every incident. :meth:`ceasefire.storage.incidents.IncidentRepository.replace`, the
one writer of incidents, keeps it in step in the same transaction: it subtracts the incidents it
drops and adds those it stores (:func:`shift`). Incidents written any other way (a bulk load)
must be counted afresh with :func:`recount`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select

from ceasefire.domain.incidents import Incident
from ceasefire.storage.engine import upsert_insert

#: (first day, event type, last day) → incidents
DayKey = tuple[object, str, object]


def dropped(conn: Connection, incidents: Table, ids: Sequence[str]) -> Counter[DayKey]:
    """The day counts of the stored incidents ``ids`` (read before they are deleted)."""
    counts: Counter[DayKey] = Counter()
    c = incidents.c
    for start in range(0, len(ids), 500):
        query = (
            select(c.date_start, c.event_type, c.date_end, func.count())
            .where(c.id.in_(ids[start : start + 500]), c.date_start.is_not(None))
            .group_by(c.date_start, c.event_type, c.date_end)
        )
        for first, kind, last, n in conn.execute(query):
            counts[(first, kind, last)] += n
    return counts


def added(incidents: Iterable[Incident]) -> Counter[DayKey]:
    """The day counts of ``incidents``."""
    return Counter(
        (i.date.start, i.event_type, i.date.end) for i in incidents if i.date is not None
    )


def shift(conn: Connection, days: Table, delta: Counter[DayKey]) -> None:
    """Add ``delta`` (negative for incidents dropped) to the counts; rows that reach 0 go."""
    changes = [  # in one order every time, so the rows are always locked in that order
        {"date_start": first, "event_type": kind, "date_end": last, "incidents": n}
        for (first, kind, last), n in sorted(delta.items(), key=repr)
        if n
    ]
    if not changes:
        return
    upsert = upsert_insert(conn, days)
    conn.execute(
        upsert.on_conflict_do_update(
            index_elements=[days.c.date_start, days.c.event_type, days.c.date_end],
            set_={"incidents": days.c.incidents + upsert.excluded.incidents},
        ),
        changes,
    )
    emptied = [
        {"first": first, "kind": kind, "last": last}
        for (first, kind, last), n in delta.items()
        if n < 0
    ]
    if emptied:
        conn.execute(
            delete(days).where(
                days.c.date_start == bindparam("first"),
                days.c.event_type == bindparam("kind"),
                days.c.date_end == bindparam("last"),
                days.c.incidents <= 0,
            ),
            emptied,
        )


def recount(conn: Connection, incidents: Table, days: Table) -> None:
    """Count every stored incident afresh (after incidents were written other than through
    ``replace``)."""
    c = incidents.c
    key = (c.date_start, c.event_type, c.date_end)
    counted = select(*key, func.count()).where(c.date_start.is_not(None)).group_by(*key)
    conn.execute(delete(days))
    conn.execute(insert(days).from_select([col.name for col in days.c], counted))
