"""Exports of incidents for people and tools outside the dashboard (SPEC §7, issue 6).

Formats are pure functions from :class:`~ceasefire.exports.records.ExportRecord` s (an incident
with the possible violations and evidence its reader may see) to text chunks:

- ``acled-csv`` (:mod:`.acled`): ACLED's column layout and names, then ours;
- ``geojson`` (:mod:`.geojson`): a FeatureCollection of points;
- ``jsonl`` (:mod:`.jsonl`): full incidents with claims, evidence and assessments, one a line;
- ``plover`` (:mod:`.plover`): PLOVER-style event objects, one a line.

:mod:`.stream` reads the database in keyset-paginated batches (constant memory), applies the
role's visibility rule, and hands the records to a format; it knows cursors and ``since``.
"""

from __future__ import annotations

from ceasefire.exports.records import ExportFormat, ExportRecord

__all__ = ["ExportFormat", "ExportRecord"]
