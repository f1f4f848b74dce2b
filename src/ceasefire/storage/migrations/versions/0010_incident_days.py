"""incident_days: dated incidents counted per first day, event type and last day

The timeline with no filter, or with only dates and a type, reads these counts (tens of
thousands of rows) instead of walking every incident (100,000 index entries took 70-100 ms to
group). ``IncidentRepository.replace`` keeps them in step in its own transaction. Filled here
from the incidents already stored.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_days",
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("incidents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "date_start", "event_type", "date_end", name=op.f("pk_incident_days")
        ),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO incident_days (date_start, event_type, date_end, incidents) "
        "SELECT date_start, event_type, date_end, count(*) FROM incidents "
        "WHERE date_start IS NOT NULL AND date_end IS NOT NULL "
        "GROUP BY date_start, event_type, date_end"
    )


def downgrade() -> None:
    op.drop_table("incident_days")
