"""What each role may see: one rule for the dashboard's public side, reports and exports.

Analysts and above see everything, as they review it. A viewer (the public, donors, readers of a
situation report) sees what the monitoring mission stands behind: incidents not rejected by a
reviewer, and, among possible violations, only those corroborated by independent sources or
confirmed by a supervisor — never a bare allegation under review or one a supervisor dismissed.
"""

from __future__ import annotations

from ceasefire.domain.agreements import Assessment, Determination
from ceasefire.domain.incidents import Incident, IncidentStatus
from ceasefire.domain.users import Role

PUBLIC_DETERMINATIONS = frozenset({Determination.CORROBORATED, Determination.CONFIRMED})


def incident_visible(incident: Incident, role: Role) -> bool:
    """Whether a user with ``role`` may see ``incident``."""
    return role.allows(Role.ANALYST) or incident.status is not IncidentStatus.REJECTED


def assessment_visible(assessment: Assessment, role: Role) -> bool:
    """Whether a user with ``role`` may see a possible violation."""
    return role.allows(Role.ANALYST) or assessment.determination in PUBLIC_DETERMINATIONS
