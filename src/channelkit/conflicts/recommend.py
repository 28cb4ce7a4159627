"""Recommendations: the stage and the actions a conflict calls for (冲突处理).

The source's three stages are prevention (前期防范), reduction (中期降低) and resolution (后期处理),
and its means escalate from communication and mediation to legal action, restructuring the
channel and exit. [`recommend`][] maps a conflict's severity, raised by its recurrences, to
them; the map itself is data ([`PLAYBOOK`][]).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from channelkit.conflicts._args import read_all, read_one
from channelkit.conflicts.models import Conflict, Recommendation, Resolution, Stage
from channelkit.model import trusted
from channelkit.scales import Severity

__all__ = ["EXIT_AFTER", "PLAYBOOK", "recommend", "recurrences"]

_R = Resolution

PLAYBOOK: Final[Mapping[Severity, tuple[Stage, tuple[Resolution, ...]]]] = MappingProxyType(
    {
        Severity.LOW: (Stage.PREVENT, (_R.COMMUNICATION,)),
        Severity.MEDIUM: (Stage.REDUCE, (_R.COMMUNICATION, _R.MEDIATION)),
        Severity.HIGH: (Stage.RESOLVE, (_R.MEDIATION, _R.LEGAL)),
        Severity.CRITICAL: (Stage.RESOLVE, (_R.LEGAL, _R.RESTRUCTURE)),
    }
)
"""The stage and actions for each severity used (before the EXIT rule)."""

EXIT_AFTER: Final = 2
"""A CRITICAL conflict with at least this many recurrences also recommends EXIT."""


def recurrences(conflict: Conflict, history: Iterable[Conflict] = ()) -> tuple[str, ...]:
    """Ids of the conflicts in ``history`` that count as recurrences of ``conflict``.

    A recurrence has another id, the same cause, the same set of parties (in any order) and
    was detected no later than ``conflict``. Each id counts once, however many snapshots of it
    the history holds; the ids come in the order they first appear.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit.conflicts import ConflictCause, ConflictType
    >>> def c(id, day, parties=("R-SOUTH", "D-EAST")):
    ...     return Conflict(id=id, type=ConflictType.HORIZONTAL,
    ...                     cause=ConflictCause.TERRITORY_DIVERSION, parties=parties,
    ...                     severity=Severity.HIGH, detected=dt.date(2026, day, 1))
    >>> now = c("NOW", 8)
    >>> history = [c("Q1", 3), c("NOW", 8), c("LATER", 9), c("Q2", 5, ("D-EAST", "R-SOUTH"))]
    >>> recurrences(now, history)
    ('Q1', 'Q2')
    """
    read_one(conflict, Conflict, "conflict")
    parties = frozenset(conflict.parties)
    found: dict[str, None] = {}
    for h in read_all(history, Conflict, "history"):
        if (
            h.id != conflict.id
            and h.cause is conflict.cause
            and h.detected <= conflict.detected
            and frozenset(h.parties) == parties
        ):
            found[h.id] = None
    return tuple(found)


def recommend(conflict: Conflict, *, history: Iterable[Conflict] = ()) -> Recommendation:
    r"""The stage and escalating actions for ``conflict``, given the conflicts before it.

    Parameters
    ----------
    conflict
        The conflict to handle.
    history
        Earlier conflicts (any status); those that recur ``conflict`` (see [`recurrences`][])
        each raise the severity used by one step.

    Returns
    -------
    Recommendation
        ``stage`` and ``actions`` for the severity used, with the recurrences that raised it.

    Raises
    ------
    ArgumentTypeError
        When ``conflict`` is not a [`Conflict`][] or ``history`` not an iterable of them.

    Notes
    -----
    $$
    \text{severity used} = \min(\text{severity} + \text{recurrences}, \text{CRITICAL})
    $$

    | severity used | stage | actions |
    |---|---|---|
    | LOW | PREVENT | COMMUNICATION |
    | MEDIUM | REDUCE | COMMUNICATION, MEDIATION |
    | HIGH | RESOLVE | MEDIATION, LEGAL |
    | CRITICAL | RESOLVE | LEGAL, RESTRUCTURE, and EXIT with two or more recurrences |

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit.conflicts import ConflictCause, ConflictType
    >>> c = Conflict(id="NOW", type=ConflictType.HORIZONTAL,
    ...              cause=ConflictCause.PRICE_VIOLATION, parties=("O-MALL",),
    ...              severity=Severity.MEDIUM, detected=dt.date(2026, 8, 8))
    >>> r = recommend(c)
    >>> r.stage.value, [a.value for a in r.actions]
    ('reduce', ['communication', 'mediation'])
    >>> earlier = c.model_copy(update={"id": "Q2", "detected": dt.date(2026, 5, 2)})
    >>> print(recommend(c, history=[earlier]).explain())
    Recommendation for conflict NOW: severity medium, 1 recurrence(s) (Q2) raise it to high
      stage: resolve; actions: mediation, legal action
    """
    ids = recurrences(conflict, history)
    used = conflict.severity.escalate(len(ids))
    stage, actions = PLAYBOOK[used]
    if used is Severity.CRITICAL and len(ids) >= EXIT_AFTER:
        actions = (*actions, Resolution.EXIT)
    return trusted(
        Recommendation,
        {
            "conflict_id": conflict.id,
            "severity": conflict.severity,
            "recurrences": len(ids),
            "recurrence_ids": ids,
            "severity_used": used,
            "stage": stage,
            "actions": actions,
        },
    )
