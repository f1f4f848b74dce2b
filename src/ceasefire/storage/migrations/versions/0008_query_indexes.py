"""incidents: two covering indexes for the map, the timeline and the lists

With 100,000 incidents the dashboard's queries spent their time reading table rows: the
incidents per day and type sorted every row of a date range in a temporary B-tree, counts read
the table row of every index entry, and a deep page of the list (``ORDER BY date_start DESC, id
OFFSET 95000``) sorted and read every row before it. Two indexes hold every column the
incident filters test (dates, type, status, coordinates, actors and their sides), so filtering,
counting and skipping read index entries only:

- ``ix_incidents_timeline`` (date_start, event_type, date_end, ...): the incidents per day and
  type are read in index order (no sort), and date-range counts never touch the table;
- ``ix_incidents_newest`` (date_start DESC, id, ...): the order of every listing, so the newest
  page and any offset are a walk of the index; it also holds the rest of what a map point shows
  (sub event type, place name), so the map's newest points are read from it alone.

The single-column indexes on date_start, event_type and status and the (lat, lon) index are
dropped: the first is the timeline index's first column, and SQLite's planner (which keeps no
statistics unless ANALYZE is run) took an equality on event_type or status, or a latitude range,
to be selective and read a third of the table through them, then sorted it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FILTERS = ["status", "lat", "lon", "actor1_id", "actor2_id", "actor1_side", "actor2_side"]
POINT = ["sub_event_type", "location_name"]  # the rest of what a map point shows


def upgrade() -> None:
    for name in ("ix_incidents_date_start", "ix_incidents_event_type", "ix_incidents_status"):
        op.drop_index(name, table_name="incidents")
    op.drop_index("ix_incidents_lat_lon", table_name="incidents")
    op.create_index(
        "ix_incidents_timeline", "incidents", ["date_start", "event_type", "date_end", *FILTERS]
    )
    op.create_index(
        "ix_incidents_newest",
        "incidents",
        [sa.text("date_start DESC"), "id", "date_end", "event_type", *FILTERS, *POINT],
    )


def downgrade() -> None:
    op.drop_index("ix_incidents_newest", table_name="incidents")
    op.drop_index("ix_incidents_timeline", table_name="incidents")
    op.create_index("ix_incidents_lat_lon", "incidents", ["lat", "lon"])
    op.create_index("ix_incidents_status", "incidents", ["status"])
    op.create_index("ix_incidents_event_type", "incidents", ["event_type"])
    op.create_index("ix_incidents_date_start", "incidents", ["date_start"])
