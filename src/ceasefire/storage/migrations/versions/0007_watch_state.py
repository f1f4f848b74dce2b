"""watch_targets, watch_entries, watch_files: the checkpoint of ``ceasefire watch``

Per target: when it was polled and last succeeded, its consecutive failures and the time of the
next attempt (backoff), the HTTP validators (ETag, Last-Modified) of its last full read and its
last error. Per feed: the entries already taken in, so an entry's page is fetched once. Per
folder or file: the files already read with their size and mtime_ns, so a poll reads only new or
changed files. A restarted watcher resumes from these rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_targets",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("last_poll", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("last_reason", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_targets")),
    )
    op.create_table(
        "watch_entries",
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["watch_targets.id"],
            name=op.f("fk_watch_entries_target_id_watch_targets"),
        ),
        sa.PrimaryKeyConstraint("target_id", "entry_id", name=op.f("pk_watch_entries")),
    )
    op.create_table(
        "watch_files",
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("path_id", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["watch_targets.id"],
            name=op.f("fk_watch_files_target_id_watch_targets"),
        ),
        sa.PrimaryKeyConstraint("target_id", "path_id", name=op.f("pk_watch_files")),
    )


def downgrade() -> None:
    op.drop_table("watch_files")
    op.drop_table("watch_entries")
    op.drop_table("watch_targets")
