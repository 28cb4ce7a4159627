"""Channel conflicts (渠道冲突): the conflict record and lifecycle, detectors, recommendations.

* `channelkit.conflicts.models`: [`Conflict`][] and its enums, [`DealRegistration`][],
  [`Recommendation`][];
* `channelkit.conflicts.lifecycle`: the table of allowed moves and [`transition`][];
* `channelkit.conflicts.detectors`: price violations, territory diversion, deal
  registration overlaps and channel overlap, as data;
* `channelkit.conflicts.recommend`: the stage and actions a conflict calls for.

``Severity`` is the kernel's [`channelkit.scales.Severity`][], re-exported here for convenience.
"""

from __future__ import annotations

from channelkit.conflicts.detectors import (
    DEFAULT_BANDS,
    conflict_id,
    depth_severity,
    detect_channel_overlap,
    detect_conflicts,
    detect_deal_overlaps,
    detect_price_violations,
    detect_territory_diversion,
)
from channelkit.conflicts.lifecycle import TRANSITIONS, allowed_moves, transition
from channelkit.conflicts.models import (
    ACTIVE_DEAL_STATUSES,
    SETTLED_STATUSES,
    Conflict,
    ConflictCause,
    ConflictStatus,
    ConflictType,
    DealRegistration,
    DealStatus,
    Recommendation,
    Resolution,
    Stage,
)
from channelkit.conflicts.recommend import EXIT_AFTER, PLAYBOOK, recommend, recurrences
from channelkit.scales import Severity

__all__ = [
    # models and enums
    "Conflict",
    "ConflictType",
    "ConflictCause",
    "Severity",
    "ConflictStatus",
    "Resolution",
    "DealRegistration",
    "DealStatus",
    "Recommendation",
    "Stage",
    # lifecycle
    "transition",
    "allowed_moves",
    "TRANSITIONS",
    "SETTLED_STATUSES",
    # detectors
    "detect_price_violations",
    "detect_territory_diversion",
    "detect_deal_overlaps",
    "detect_channel_overlap",
    "detect_conflicts",
    "depth_severity",
    "conflict_id",
    "DEFAULT_BANDS",
    "ACTIVE_DEAL_STATUSES",
    # recommendations
    "recommend",
    "recurrences",
    "PLAYBOOK",
    "EXIT_AFTER",
]
