"""extractions.fused: which articles' events have been fused since they were extracted

An article's events are saved in one transaction with ``fused`` false; fusion sets it once the
incidents those events can change have been recomputed and committed. A process killed between
the two leaves the flag false, so the next run fuses those events too: nothing extracted is left
out of the incidents. Rows already present are marked unfused, so the first run after this
migration checks them all once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("extractions") as batch:
        batch.add_column(
            sa.Column("fused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_index("ix_extractions_fused", ["fused"])


def downgrade() -> None:
    with op.batch_alter_table("extractions") as batch:
        batch.drop_index("ix_extractions_fused")
        batch.drop_column("fused")
