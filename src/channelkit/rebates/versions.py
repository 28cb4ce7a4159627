"""Dated terms (政策调整): [`PolicyVersions`][], one programme whose terms change from a date.

A programme's rates, flats or cap may change in the middle of a settlement period. The versions
of its [`RebatePolicy`][channelkit.RebatePolicy] say each from when it is in force (its
``valid``); [`settle`][channelkit.settle] and [`settle_all`][channelkit.settle_all] take the
versions in place of a policy, and each transaction earns the terms in force on its date (see
[`settle`][channelkit.settle] for how the ladder is filled).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from typing import Annotated, Any, Final, Self

from pydantic import BaseModel, Field, model_validator

from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.model import Model
from channelkit.periods import Period
from channelkit.rebates.models import RebateBasis, RebatePolicy

__all__ = ["PolicyVersions"]

VERSIONED_BASES: Final = frozenset(
    {
        RebateBasis.NET_SALES,
        RebateBasis.GROSS_SALES,
        RebateBasis.COLLECTIONS,
        RebateBasis.UNITS,
    }
)
"""The bases versions may have: those whose basis is filled transaction by transaction."""

_MAY_DIFFER: Final = frozenset({"valid", "brackets", "cap"})
_UNSUPPORTED: Final = ("tier_basis", "per", "allow_negative")
_WHY: Final = "versions may differ only in the brackets' rate and flat and in cap"


def _show(value: object) -> str:
    """A short text of a field's value for a message (a nested model is not written out)."""
    if isinstance(value, BaseModel | tuple | frozenset):
        return ""
    return f" ({value})"


class PolicyVersions(Model):
    r"""The versions of one rebate programme, each in force over its own ``valid`` period.

    The versions are in date order and their validity periods are contiguous: each starts where
    the one before it ends. They are the same programme with new terms from a date, so every
    field but ``valid``, the brackets' ``rate`` and ``flat``, and ``cap`` is equal across them
    (the brackets' starts included). Their basis is net sales, gross sales, collections or
    units, the bases that a settlement fills transaction by transaction.

    Notes
    -----
    Settled by [`settle`][channelkit.settle] (the union of the ``valid`` periods must contain
    the settlement period), each transaction earns the terms in force on its date. The
    period's basis $x$ picks the bracket $i$ as usual. The transactions fill the ladder in date
    order, then id order: a sale (or a payment for collections, the units of a sale for units)
    fills $[\ell, \ell + a)$ above the level $\ell$ under the version in force on its date; a
    RETURN unfills the top $a$, last-filled-first, at the rates those slices were filled at
    (for gross sales it takes nothing back). The level may go below 0; later sales refill that
    part first and earn nothing for it. Each version $v$ ends up with one part
    $[a_v, b_v)$ of $[0, x)$, and

    $$
    \begin{aligned}
    \text{GRADUATED: } g &= \sum_v \sum_{j \le i}
        \big|[a_v, b_v) \cap [s_j, s_{j+1})\big| \, r_j^{(v)} + \sum_{j \le i} f_j^{(e)} \\
    \text{VOLUME, FLAT: } g &= \sum_v (b_v - a_v) \, r_i^{(v)} + f_i^{(e)}
    \end{aligned}
    $$

    with $s_{i+1} = x$, rates $r^{(v)}$ of version $v$, and flats $f^{(e)}$, the cap and every
    other term of the version $e$ in force on the period's last day. The result has a line per
    bracket and version (``start``/``end`` the part that version filled, ``valid`` its period);
    a bracket's flat sits on the line of version $e$, an empty one when $e$ filled none of it.

    Examples
    --------
    >>> from channelkit import Bracket, Period, RebatePolicy
    >>> def terms(rate: str, valid: Period) -> RebatePolicy:
    ...     return RebatePolicy(id="LADDER", name="Ladder", currency="CNY", valid=valid,
    ...                         brackets=(Bracket(start=0, rate=rate),))
    >>> versions = PolicyVersions(versions=(
    ...     terms("0.02", Period(dt.date(2026, 1, 1), dt.date(2026, 8, 15))),
    ...     terms("0.03", Period(dt.date(2026, 8, 15), dt.date(2027, 1, 1)))))
    >>> str(versions.valid), versions.at(dt.date(2026, 9, 1)).brackets[0].rate
    ('2026-01-01..2027-01-01', Decimal('0.03'))
    """

    versions: Annotated[tuple[RebatePolicy, ...], Field(min_length=1)]
    """The versions in date order, each with ``valid``, contiguous and not overlapping."""

    @model_validator(mode="after")
    def _rules(self) -> Self:
        first = self.versions[0]
        for i, version in enumerate(self.versions):
            if version.valid is None:
                msg = f"versions[{i}].valid must be set: every version says when it is in force"
                raise ValueError(msg)
        basis = RebateBasis(first.basis)
        if basis not in VERSIONED_BASES:
            allowed = ", ".join(sorted(b.value for b in VERSIONED_BASES))
            msg = f"versions[0].basis is {basis.value}: versions need one of {allowed}"
            raise ValueError(msg)
        fields = RebatePolicy.model_fields
        for name in _UNSUPPORTED:
            info = fields.get(name)
            if info is not None and getattr(first, name) != info.default:
                msg = (
                    f"versions[0].{name} is {getattr(first, name)}: versions do not support "
                    f"{name} (only its default, {info.default})"
                )
                raise ValueError(msg)
        for i, version in enumerate(self.versions[1:], start=1):
            _same_terms(first, version, i)
            _follows(self.versions[i - 1].valid, version.valid, i)  # type: ignore[arg-type]
        return self

    @property
    def id(self) -> str:
        """The programme's id (every version's)."""
        return self.versions[0].id

    @property
    def currency(self) -> str:
        """The programme's currency (every version's)."""
        return self.versions[0].currency

    @property
    def basis(self) -> RebateBasis:
        """The programme's basis (every version's)."""
        return RebateBasis(self.versions[0].basis)

    @property
    def valid(self) -> Period:
        """The union of the versions' ``valid`` periods: the first's start to the last's end."""
        return Period(self.versions[0].valid.start, self.versions[-1].valid.end)  # type: ignore[union-attr]

    def index(self, day: dt.date) -> int:
        """The position of the version in force on ``day``, or -1 when none is.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy
        >>> one = RebatePolicy(id="P", name="P", currency="CNY", valid=Period.year(2026),
        ...                    brackets=(Bracket(start=0, rate="0.02"),))
        >>> v = PolicyVersions(versions=(one,))
        >>> v.index(dt.date(2026, 5, 1)), v.index(dt.date(2027, 1, 1))
        (0, -1)
        """
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime) or day not in self.valid:
            return -1
        starts = [v.valid.start for v in self.versions]  # type: ignore[union-attr]
        return bisect_right(starts, day) - 1

    def at(self, day: dt.date) -> RebatePolicy:
        """The version in force on ``day``.

        Raises
        ------
        ArgumentError
            ``day`` lies outside every version's ``valid`` (an
            [`ArgumentTypeError`][channelkit.ArgumentTypeError] when it is not a date).
        """
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            msg = f"day must be a date, not {type(day).__name__}"
            raise ArgumentTypeError(msg, argument="day", value=day)
        i = self.index(day)
        if i < 0:
            msg = f"no version of policy {self.id} is in force on {day} (valid {self.valid})"
            raise ArgumentError(msg, argument="day", value=day)
        return self.versions[i]


def _same_terms(first: RebatePolicy, version: RebatePolicy, i: int) -> None:
    """Raise the message naming the first field in which ``version`` differs from ``first``."""
    for name in RebatePolicy.model_fields:
        if name in _MAY_DIFFER:
            continue
        mine: Any = getattr(version, name)
        theirs: Any = getattr(first, name)
        if mine != theirs:
            msg = (
                f"versions[{i}].{name}{_show(mine)} differs from versions[0].{name}"
                f"{_show(theirs)}: {_WHY}"
            )
            raise ValueError(msg)
    if len(version.brackets) != len(first.brackets):
        msg = (
            f"versions[{i}].brackets has {len(version.brackets)} brackets, versions[0].brackets "
            f"has {len(first.brackets)}: {_WHY}"
        )
        raise ValueError(msg)
    for j, (mine_b, theirs_b) in enumerate(zip(version.brackets, first.brackets, strict=True)):
        if mine_b.start != theirs_b.start:
            msg = (
                f"versions[{i}].brackets[{j}].start ({mine_b.start}) differs from "
                f"versions[0].brackets[{j}].start ({theirs_b.start}): {_WHY}"
            )
            raise ValueError(msg)


def _follows(before: Period, here: Period, i: int) -> None:
    """Raise unless ``here`` (``versions[i].valid``) starts where ``before`` ends."""
    if here.start < before.start:
        msg = (
            f"versions must be in date order: versions[{i}].valid ({here}) starts before "
            f"versions[{i - 1}].valid ({before})"
        )
        raise ValueError(msg)
    if here.start < before.end:
        msg = (
            f"versions[{i}].valid ({here}) overlaps versions[{i - 1}].valid ({before}): a day "
            "has one version in force"
        )
        raise ValueError(msg)
    if here.start > before.end:
        msg = (
            f"versions[{i}].valid ({here}) does not start where versions[{i - 1}].valid "
            f"({before}) ends: the versions must be contiguous, without a gap"
        )
        raise ValueError(msg)
