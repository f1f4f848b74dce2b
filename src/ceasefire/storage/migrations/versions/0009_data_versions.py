"""data_versions: a token that changes whenever incidents are written

``IncidentRepository.replace``, the one writer of incidents, their members and their claims,
sets the ``incidents`` row's token to a new random value first in its transaction, so readers
that see the same token see the same incidents. The API keeps the encoded answers of its
largest reads (map points, timeline) under that token and answers ``If-None-Match`` with 304.
The token is random rather than a counter so that a restored backup never takes a token that
this database gave to other data.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    versions = op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")),
    )
    op.bulk_insert(versions, [{"name": "incidents", "token": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("data_versions")
