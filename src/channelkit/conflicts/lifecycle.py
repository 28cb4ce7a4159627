"""The conflict lifecycle: the table of allowed moves and [`transition`][].

The table is data ([`TRANSITIONS`][]), so the docs, the tests and a service's UI can all read
the same moves instead of restating them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from channelkit.conflicts._args import read_member, read_one
from channelkit.conflicts.models import SETTLED_STATUSES, Conflict, ConflictStatus, Resolution
from channelkit.errors import InvalidTransitionError
from channelkit.model import trusted

__all__ = ["TRANSITIONS", "allowed_moves", "transition"]

_S = ConflictStatus

TRANSITIONS: Final[Mapping[ConflictStatus, frozenset[ConflictStatus]]] = MappingProxyType(
    {
        _S.OPEN: frozenset({_S.MEDIATING, _S.ESCALATED, _S.RESOLVED}),
        _S.MEDIATING: frozenset({_S.ESCALATED, _S.RESOLVED}),
        _S.ESCALATED: frozenset({_S.MEDIATING, _S.RESOLVED}),
        _S.RESOLVED: frozenset({_S.CLOSED, _S.OPEN}),
        _S.CLOSED: frozenset(),
    }
)
"""Each status mapped to the statuses a conflict may move to from it (CLOSED is final)."""

_ORDER: Final = {s: i for i, s in enumerate(ConflictStatus)}


def allowed_moves(status: ConflictStatus | str) -> tuple[ConflictStatus, ...]:
    """The statuses a conflict in ``status`` may move to, in lifecycle order.

    Examples
    --------
    >>> [s.value for s in allowed_moves("resolved")]
    ['open', 'closed']
    """
    return tuple(
        sorted(TRANSITIONS[read_member(status, ConflictStatus, "status")], key=_ORDER.__getitem__)
    )


def transition(
    conflict: Conflict,
    status: ConflictStatus | str,
    *,
    resolution: Resolution | str | None = None,
) -> Conflict:
    """Move ``conflict`` to ``status``, returning a new conflict; refuse moves the table forbids.

    Parameters
    ----------
    conflict
        The conflict to move (it is not changed).
    status
        The target status (a [`ConflictStatus`][] or its value).
    resolution
        How the conflict was settled: required when ``status`` is RESOLVED, refused otherwise.

    Returns
    -------
    Conflict
        A copy with the new status. Entering RESOLVED sets ``resolution``; RESOLVED -> CLOSED
        keeps it; RESOLVED -> OPEN (the conflict recurred) clears it.

    Raises
    ------
    InvalidTransitionError
        When [`TRANSITIONS`][] has no move from the current status to ``status`` (staying in
        the same status is not a move), when RESOLVED is entered without a ``resolution``, or
        when a ``resolution`` is given with any other target.
    ArgumentError
        When ``status`` or ``resolution`` is not a member (or value) of its enum.
    ArgumentTypeError
        When ``conflict`` is not a [`Conflict`][], or ``status`` or ``resolution`` is neither a
        member nor a string.

    Notes
    -----
    The moves: OPEN -> MEDIATING | ESCALATED | RESOLVED; MEDIATING -> ESCALATED | RESOLVED;
    ESCALATED -> MEDIATING | RESOLVED; RESOLVED -> CLOSED | OPEN; CLOSED -> nothing.

    Examples
    --------
    >>> import datetime as dt
    >>> from channelkit import Severity
    >>> from channelkit.conflicts import ConflictCause, ConflictType
    >>> c = Conflict(id="C1", type=ConflictType.HORIZONTAL, cause=ConflictCause.PRICE_VIOLATION,
    ...              parties=("O-MALL",), severity=Severity.MEDIUM, detected=dt.date(2026, 8, 8))
    >>> done = transition(transition(c, "mediating"), "resolved", resolution="communication")
    >>> done.status, done.resolution
    (<ConflictStatus.RESOLVED: 'resolved'>, <Resolution.COMMUNICATION: 'communication'>)
    >>> transition(c, "closed")
    Traceback (most recent call last):
    channelkit.errors.InvalidTransitionError: conflict C1 cannot move from open to closed (...)
    """
    read_one(conflict, Conflict, "conflict")
    target = read_member(status, ConflictStatus, "status")
    how = None if resolution is None else read_member(resolution, Resolution, "resolution")
    current = conflict.status
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(s.value for s in allowed_moves(current)) or "none, it is final"
        msg = (
            f"conflict {conflict.id} cannot move from {current.value} to {target.value} "
            f"(allowed: {allowed})"
        )
        raise InvalidTransitionError(msg)
    if target is ConflictStatus.RESOLVED and how is None:
        msg = f"conflict {conflict.id} cannot be resolved without a resolution"
        raise InvalidTransitionError(msg)
    if target is not ConflictStatus.RESOLVED and how is not None:
        msg = (
            f"conflict {conflict.id}: a resolution ({how.value}) is only given when moving to "
            f"resolved, not to {target.value}"
        )
        raise InvalidTransitionError(msg)
    if target is ConflictStatus.RESOLVED:
        kept = how
    else:
        kept = conflict.resolution if target in SETTLED_STATUSES else None
    values = {name: getattr(conflict, name) for name in _FIELDS}
    values["status"], values["resolution"] = target, kept
    return trusted(Conflict, values)


_FIELDS: Final = tuple(Conflict.model_fields)
