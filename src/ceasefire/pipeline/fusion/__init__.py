"""Fusion: from statements of many reports to incidents, with independent sources and disputes.

One happening is told by many articles, each statement an :class:`~ceasefire.domain.events.Event`
wrapped in a :class:`~ceasefire.domain.incidents.Report` (where it came from). Fusion groups the
statements about one happening into an :class:`~ceasefire.domain.incidents.Incident`:

1. **Which statements** (:mod:`.blocking`): only those saying something happened (asserted, claimed,
   denied). Planned, conditional, negated and background events are in no incident.
2. **Which pairs are compared** (:mod:`.blocking`): only pairs sharing a block of event type × week
   × place cell (or region, or actor for placeless statements), so cost grows near-linearly.
3. **Which pairs match** (:mod:`.match`): same event type, overlapping dates, within 25 km (or
   inside the same region), no conflicting actors unless one statement is a party's version.
4. **Which statements form an incident** (:mod:`.cluster`): complete linkage inside connected
   components of matching pairs, in a fixed order, so no chaining and no dependence on input order.
5. **Canonical fields** (:mod:`.canonical`), **independent sources, status and claims**
   (:mod:`.independence`).

:func:`fuse` does it all at once; :class:`FusionIndex` does it incrementally (a new article touches
only the incidents of its blocks) with exactly the same result. Wire attributions and report origins
are in :mod:`ceasefire.pipeline.wires`.
"""

from ceasefire.pipeline.fusion.blocking import FUSABLE, is_fusable
from ceasefire.pipeline.fusion.canonical import incident_id
from ceasefire.pipeline.fusion.independence import (
    claim_of,
    fatalities_conflict,
    independent_origins,
    statement_origin,
)
from ceasefire.pipeline.fusion.index import FusionError, FusionIndex, FusionUpdate, fuse
from ceasefire.pipeline.fusion.match import SYMMETRIC_TYPES, distance_km

__all__ = [
    "FUSABLE",
    "SYMMETRIC_TYPES",
    "FusionError",
    "FusionIndex",
    "FusionUpdate",
    "claim_of",
    "distance_km",
    "fatalities_conflict",
    "fuse",
    "incident_id",
    "independent_origins",
    "is_fusable",
    "statement_origin",
]
