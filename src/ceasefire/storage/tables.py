"""Table definitions. The Alembic migrations in ``migrations/`` create exactly these."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def build_metadata() -> MetaData:
    """A fresh description of the schema."""
    metadata = MetaData(naming_convention=NAMING)
    Table(
        "sources",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(200), nullable=False, unique=True),
        Column("kind", String(16), nullable=False),
        Column("domain", String(253)),
        Column("reliability", String(1), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "documents",
        metadata,
        Column("id", String(64), primary_key=True),
        Column("locator", Text, nullable=False),
        Column("media_type", String(64), nullable=False),
        Column("url", Text),
        Column("source_id", Integer, ForeignKey("sources.id")),
        Column("source_kind", String(16), nullable=False),
        Column("title_hint", Text),
        Column("published_hint", Date),
        Column("published_hint_precision", String(8)),
        Column("published_hint_source", String(16)),
        Column("fetched_at", DateTime(timezone=True), nullable=False),
        Column("size", Integer, nullable=False),
        Column("raw", LargeBinary, nullable=False),  # zlib-compressed
    )
    Table(
        "articles",
        metadata,
        Column("id", String(64), primary_key=True),
        Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
        Column("idx", Integer, nullable=False),
        Column("title", Text),
        Column("text", Text, nullable=False),
        Column("captions", JSON, nullable=False),
        Column("published", Date, index=True),
        Column("published_precision", String(8)),
        Column("published_source", String(16)),
        Column("language", String(8), nullable=False),
        Column("source_id", Integer, ForeignKey("sources.id"), index=True),
        Column("url", Text),
        Column("author", Text),
        Column("extractor", String(32), nullable=False),
        Column("minhash", LargeBinary, nullable=False),
        Column("syndication_group", String(64), index=True),
        Column("syndication_similarity", Float),
        Column("created_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("document_id", "idx", name="uq_articles_document_idx"),
    )
    Table(
        "article_bands",
        metadata,
        Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
        Column("band", SmallInteger, primary_key=True),
        Column("hash", BigInteger, nullable=False),
        Index("ix_article_bands_band_hash", "band", "hash"),
    )
    Table(
        "pipeline_runs",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("stage", String(32), nullable=False),
        Column("version", String(200), nullable=False),
        Column("started_at", DateTime(timezone=True), nullable=False),
        Column("finished_at", DateTime(timezone=True)),
        Column("status", String(16), nullable=False),
        Column("params", JSON, nullable=False),
        Column("counts", JSON, nullable=False),
    )
    Table(
        "dropped",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("run_id", Integer, ForeignKey("pipeline_runs.id"), index=True),
        Column("item", Text, nullable=False),
        Column("stage", String(32), nullable=False),
        Column("reason", String(32), nullable=False, index=True),
        Column("detail", Text, nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "extractions",
        metadata,
        Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
        Column("coder", String(200), nullable=False),
        Column("events", Integer, nullable=False),
        Column("wire", String(64)),  # the wire agency the article is attributed to, if any
        Column("at", DateTime(timezone=True), nullable=False),
        # false until fusion has taken this extraction's events in (migration 0006)
        Column("fused", Boolean, nullable=False, server_default=false(), index=True),
    )
    Table(
        "events",
        metadata,
        Column("id", String(64), primary_key=True),  # sha256 of article id, index and coder
        Column("article_id", String(64), ForeignKey("articles.id"), nullable=False, index=True),
        Column("idx", Integer, nullable=False),
        Column("coder", String(200), nullable=False),
        Column("family", String(16), nullable=False),
        Column("event_type", String(64), nullable=False, index=True),
        Column("sub_event_type", String(64), nullable=False),
        Column("actor1_id", String(64), index=True),
        Column("actor1_name", Text),
        Column("actor2_id", String(64), index=True),
        Column("actor2_name", Text),
        Column("claimed_by_id", String(64)),
        Column("claimed_by_name", Text),
        Column("modality", String(16), nullable=False),
        Column("date_start", Date, index=True),
        Column("date_end", Date),
        Column("time_precision", SmallInteger),
        Column("location_name", Text),
        Column("place_id", String(64)),
        Column("lat", Float),
        Column("lon", Float),
        Column("geo_precision", SmallInteger),
        Column("admin1", String(100)),
        Column("country", String(2)),
        Column("fatalities", Integer),
        Column("wounded", Integer),
        Column("confidence", Float, nullable=False),
        Column("evidence_start", Integer, nullable=False),
        Column("evidence_end", Integer, nullable=False),
        Column("trigger_start", Integer, nullable=False),
        Column("trigger_end", Integer, nullable=False),
        Column("spans", JSON, nullable=False),  # actor, place and date spans in the article
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    _incident_tables(metadata)
    _user_tables(metadata)
    _review_tables(metadata)
    _watch_tables(metadata)
    return metadata


#: the columns of the incident filters besides dates and type, in both covering indexes
INCIDENT_FILTER_COLUMNS: tuple[str, ...] = ("status", "lat", "lon", "actor1_id", "actor2_id")
INCIDENT_FILTER_COLUMNS += ("actor1_side", "actor2_side")


def _actor_columns(prefix: str) -> list[Column[Any]]:
    return [
        Column(f"{prefix}_id", String(64), index=prefix == "actor1"),
        Column(f"{prefix}_name", Text),
        Column(f"{prefix}_side", String(64)),
    ]


def _incident_tables(metadata: MetaData) -> None:
    """Incidents fused from events, their members and claims, assessments against agreements,
    and analysts' overrides of commitment states."""
    incidents = Table(
        "incidents",
        metadata,
        Column("id", String(64), primary_key=True),  # sha256 of the smallest member event id
        Column("family", String(16), nullable=False),
        Column("event_type", String(64), nullable=False),
        Column("sub_event_type", String(64), nullable=False),
        *_actor_columns("actor1"),
        *_actor_columns("actor2"),
        Column("location_name", Text),
        Column("place_id", String(64)),
        Column("lat", Float),
        Column("lon", Float),
        Column("geo_precision", SmallInteger),
        Column("admin1", String(100)),
        Column("country", String(2)),
        Column("date_start", Date),
        Column("date_end", Date),
        Column("time_precision", SmallInteger),
        Column("fatalities", Integer),
        Column("fatalities_high", Integer),
        Column("independent_sources", Integer, nullable=False),
        Column("origins", JSON, nullable=False),
        Column("status", String(16), nullable=False),
        Column("first_reported", Date),
        Column("fusion", String(64), nullable=False),  # the fusion stage's versioned name
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    # every column the incident filters test, so that filtering, counting and skipping read the
    # index alone (migration 0008): per day and type in date order, and the listings' order
    filters = [incidents.c[name] for name in INCIDENT_FILTER_COLUMNS]
    start, end, kind = incidents.c.date_start, incidents.c.date_end, incidents.c.event_type
    Index("ix_incidents_timeline", start, kind, end, *filters)
    point = [incidents.c.sub_event_type, incidents.c.location_name]  # the rest of a map point
    Index("ix_incidents_newest", start.desc(), incidents.c.id, end, kind, *filters, *point)
    Table(
        "incident_events",
        metadata,
        Column("event_id", String(64), primary_key=True),  # derived: no key on events
        Column("incident_id", String(64), ForeignKey("incidents.id"), nullable=False, index=True),
    )
    Table(
        "claims",
        metadata,
        Column("incident_id", String(64), ForeignKey("incidents.id"), primary_key=True),
        Column("event_id", String(64), primary_key=True),  # derived: no key on events
        Column("position", Integer, nullable=False),  # the order fusion gives the claims
        Column("stance", String(16), nullable=False),
        Column("by_id", String(64)),
        Column("by_name", Text),
        Column("outlet", Text, nullable=False),
        Column("actor1_id", String(64)),
        Column("actor1_name", Text),
        Column("fatalities", Integer),
        Column("text", Text, nullable=False),
    )
    Table(
        "assessments",
        metadata,
        Column("incident_id", String(64), ForeignKey("incidents.id"), primary_key=True),
        Column("agreement_id", String(64), primary_key=True),
        Column("term_id", String(64), primary_key=True),
        Column("party", String(64), nullable=False, index=True),
        Column("actor", String(64)),
        Column("side", String(64)),
        Column("determination", String(24), nullable=False, index=True),
        Column("rationale", Text, nullable=False),
        Column("assessor", String(64), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "commitment_overrides",
        metadata,
        Column("term_id", String(64), primary_key=True),
        Column("status", String(16), nullable=False),
        Column("reason", Text, nullable=False),
        Column("by", String(200)),
        Column("at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "incident_days",  # dated incidents counted per day, type and last day, for the timeline
        metadata,
        Column("date_start", Date, primary_key=True),
        Column("event_type", String(64), primary_key=True),
        Column("date_end", Date, primary_key=True),
        Column("incidents", Integer, nullable=False),
        sqlite_with_rowid=False,  # the rows are the key's order: grouped as they are read
    )
    Table(
        "data_versions",
        metadata,
        Column("name", String(32), primary_key=True),  # what is versioned: "incidents"
        Column("token", String(32), nullable=False),  # random, new at every write
    )


def _user_tables(metadata: MetaData) -> None:
    """Users, their sessions and API tokens, and login attempts for throttling.

    No secret is stored in clear: passwords as argon2id hashes, session and API tokens as the
    SHA-256 of 256 random bits (a fast hash is enough for values nobody can guess). A session's
    CSRF token is kept as is: it is useless without the session cookie, and pages embed it.
    """
    Table(
        "users",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("username", String(64), nullable=False),
        Column("username_key", String(64), nullable=False, unique=True),  # casefolded
        Column("password_hash", String(255), nullable=False),
        Column("role", String(16), nullable=False),
        Column("disabled", Boolean, nullable=False),
        Column("must_change_password", Boolean, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("password_changed_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "sessions",
        metadata,
        Column("token_hash", String(64), primary_key=True),
        Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
        Column("csrf_token", String(64), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
        Column("last_seen", DateTime(timezone=True), nullable=False),
    )
    Table(
        "api_tokens",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("token_hash", String(64), nullable=False, unique=True),
        Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
        Column("name", String(100), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("last_used", DateTime(timezone=True)),
        Column("revoked", Boolean, nullable=False),
        Column("revoked_at", DateTime(timezone=True)),
    )
    Table(
        "login_attempts",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("username_key", String(64), nullable=False),
        Column("client", String(64), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False, index=True),
        Column("success", Boolean, nullable=False),
        Index("ix_login_attempts_username_key_at", "username_key", "at"),
        Index("ix_login_attempts_client_at", "client", "at"),
    )


def _review_tables(metadata: MetaData) -> None:
    """The review workflow: the append-only audit log (``reviews``, indexed by the events each
    entry is about in ``review_events``), the decisions the pipeline must respect (append-only
    too: a later decision supersedes an earlier one), and who holds which incident.

    Users are kept by id and name, with no foreign key: the audit log must outlive its users."""
    Table(
        "reviews",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("user_id", Integer, nullable=False, index=True),
        Column("username", String(200), nullable=False),
        Column("role", String(16), nullable=False),
        Column("target_type", String(16), nullable=False),
        Column("target_id", String(200), nullable=False),
        Column("action", String(32), nullable=False),
        Column("before", JSON, nullable=False),
        Column("after", JSON, nullable=False),
        Column("reason", Text),
        Index("ix_reviews_target", "target_type", "target_id"),
    )
    Table(
        "review_events",
        metadata,
        Column("review_id", Integer, ForeignKey("reviews.id"), primary_key=True),
        Column("event_id", String(64), primary_key=True, index=True),  # no key: events change
        # the statement the event stated (article, evidence span): history survives re-extraction
        Column("article_id", String(64), index=True),
        Column("evidence_start", Integer),
        Column("evidence_end", Integer),
    )
    Table(
        "review_decisions",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),  # the decision order
        Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False, index=True),
        Column("kind", String(16), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("username", String(200), nullable=False),
        Column("reason", Text),
        Column("anchors", JSON, nullable=False),  # [{"event", "article", "start", "end"}]
        Column("status", String(16)),
        Column("field", String(32)),
        Column("value", JSON),
        Column("family", String(16)),
        Column("agreement_id", String(64)),
        Column("term_id", String(64)),
        Column("determination", String(24)),
        Column("party", String(64)),
        Column("actor", String(64)),
        Column("side", String(64)),
    )
    Table(
        "review_assignments",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("incident_id", String(64), nullable=False, index=True),  # when assigned
        Column("anchors", JSON, nullable=False),
        Column("user_id", Integer, nullable=False, index=True),
        Column("username", String(200), nullable=False),
        Column("since", DateTime(timezone=True), nullable=False),
    )


def _watch_tables(metadata: MetaData) -> None:
    """The checkpoint of ``ceasefire watch`` (migration 0007): per target its polling schedule,
    failures and HTTP validators; per feed the entries already taken in; per folder the files
    already read with their size and modification time. Targets and paths are keyed by the
    sha256 of their text, which may be longer than an index allows."""
    Table(
        "watch_targets",
        metadata,
        Column("id", String(64), primary_key=True),  # sha256 of the target
        Column("target", Text, nullable=False),  # a URL or an absolute path
        Column("kind", String(16)),  # feed, page, folder, file; None until first read
        Column("last_poll", DateTime(timezone=True)),
        Column("last_success", DateTime(timezone=True)),
        Column("failures", Integer, nullable=False),  # consecutive
        Column("next_attempt", DateTime(timezone=True)),
        Column("etag", Text),
        Column("last_modified", String(64)),
        Column("last_reason", String(32)),
        Column("last_error", Text),
    )
    Table(
        "watch_entries",
        metadata,
        Column("target_id", String(64), ForeignKey("watch_targets.id"), primary_key=True),
        Column("entry_id", String(64), primary_key=True),  # sha256 of the guid, link or content
        Column("entry", Text, nullable=False),  # the guid or link as the feed gives it
        Column("status", String(16), nullable=False),  # ingested, failed, retry
        Column("attempts", Integer, nullable=False),
        Column("reason", String(32)),
        Column("at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "watch_files",
        metadata,
        Column("target_id", String(64), ForeignKey("watch_targets.id"), primary_key=True),
        Column("path_id", String(64), primary_key=True),  # sha256 of the path
        Column("path", Text, nullable=False),
        Column("size", BigInteger, nullable=False),
        Column("mtime_ns", BigInteger, nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
    )
