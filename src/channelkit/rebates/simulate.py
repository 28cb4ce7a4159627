"""What policies would cost over a channel: [`simulate`][channelkit.rebates.simulate.simulate].

[`simulate`][channelkit.rebates.simulate.simulate] applies every policy to every partner's basis
at each growth factor and sums the cost per policy and growth
([`SimulationRow`][channelkit.rebates.simulate.SimulationRow]); the
[`Simulation`][channelkit.rebates.simulate.Simulation] it returns keeps its inputs, so that
[`Simulation.diff`][channelkit.rebates.simulate.Simulation.diff] can say, partner by partner, who
gains and who loses when one policy replaces another. Amounts are those of
[`compute_rebate`][channelkit.compute_rebate], computed by its batch path
[`rebate_amounts`][channelkit.rebate_amounts]: exact to the minor unit.

Bases are a mapping of partner id to basis, or a table (``partner_id`` and ``basis`` columns) of
any Arrow-compatible kind, read in columns; pyarrow is imported only for a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Final

from channelkit._tables import TableLike, is_table
from channelkit.currencies import CURRENCIES
from channelkit.errors import (
    ArgumentError,
    CurrencyMismatchError,
    PolicyError,
)
from channelkit.labels import fmt_amount, fmt_number, fmt_pct, pick
from channelkit.model import Id, Model, trusted
from channelkit.money import Money, ResultMoney
from channelkit.numeric import (
    CONTEXT,
    DecimalLike,
    NonNegativeCount,
    ResultDec,
    to_decimal,
)
from channelkit.rebates import _html
from channelkit.rebates._simulate_inputs import (
    factor_of,
    grow,
    growth_factors,
    mapping_bases,
    read_policies,
    table_bases,
)
from channelkit.rebates.engine import rebate_amounts
from channelkit.rebates.models import RebateBasis, RebatePolicy
from channelkit.rebates.results import _money

__all__ = ["PartnerDiff", "Simulation", "SimulationRow", "simulate"]

_ZERO: Final = Decimal(0)


def _growth_text(g: Decimal) -> str:
    return ("+" if g > 0 else "") + fmt_pct(g)


class SimulationRow(Model):
    """One policy at one growth factor over every partner: what it costs in total.

    ``cost_rate = total / basis`` (0 when the basis is 0).
    """

    policy_id: Id
    """The policy's key in the mapping given to ``simulate``."""
    growth: ResultDec
    """The growth factor ``g``: every basis was taken as ``basis x (1 + g)``."""
    basis_kind: RebateBasis
    """What the bases measure (the policy's ``basis``)."""
    partners: NonNegativeCount
    """How many partners were simulated."""
    basis: ResultDec
    """The total of the grown bases."""
    total: ResultMoney
    """The sum of every partner's rebate (each rounded to the minor unit, as paid)."""
    cost_rate: ResultDec
    """``total / basis``: the rebate's cost per unit of basis (0 when ``basis`` is 0)."""
    partners_paid: NonNegativeCount
    """How many partners earn a rebate above zero."""
    min: ResultMoney | None = None
    """The least rebate of any partner, unpaid ones included (``None`` without partners)."""
    max: ResultMoney | None = None
    """The greatest rebate of any partner (``None`` without partners)."""

    _repr_html_ = _html.simulation_row

    def explain(self, lang: str = "en") -> str:
        """The row in one line: policy, growth, total, basis, cost rate, partners paid, range.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy
        >>> p = RebatePolicy(id="P", name="P", currency="CNY",
        ...                  brackets=(Bracket(start=10_000, rate="0.02"),))
        >>> row = simulate({"P": p}, {"D1": 60_000, "D2": 5_000}).rows[0]
        >>> print(row.explain("zh"))
        P（增长 0%）：返利合计 1,000.00 CNY，基数 65,000.00（返利费用率 1.54%）；2 个伙伴中
        1 个获返利，最低 0.00，最高 1,000.00
        """
        cur = self.total.currency
        places = CURRENCIES[cur]
        money = self.basis_kind.is_money
        basis = fmt_amount(self.basis, places) if money else fmt_number(self.basis)
        rate = (
            fmt_pct(self.cost_rate)
            if money
            else pick(lang, "{r} {c}/unit", "{r} {c}/件").format(
                r=fmt_amount(self.cost_rate, places), c=cur
            )
        )
        head = pick(
            lang,
            "{p} at growth {g}: {t} {c} on a basis of {b} (cost rate {r}); ",
            "{p}（增长 {g}）：返利合计 {t} {c}，基数 {b}（返利费用率 {r}）；",
        ).format(
            p=self.policy_id,
            g=_growth_text(self.growth),
            t=_money(self.total),
            c=cur,
            b=basis,
            r=rate,
        )
        if self.min is None or self.max is None:
            return head + pick(lang, "no partner", "无伙伴")
        return head + pick(
            lang,
            "{k} of {n} partners paid, least {lo}, most {hi}",
            "{n} 个伙伴中 {k} 个获返利，最低 {lo}，最高 {hi}",
        ).format(
            k=f"{self.partners_paid:,}",
            n=f"{self.partners:,}",
            lo=_money(self.min),
            hi=_money(self.max),
        )


class PartnerDiff(Model):
    """What one partner earns under two policies at one growth: ``change = amount_b - amount_a``."""

    partner_id: Id
    """The partner."""
    basis: ResultDec
    """The partner's grown basis."""
    amount_a: ResultMoney
    """The rebate under the first policy."""
    amount_b: ResultMoney
    """The rebate under the second policy."""
    change: ResultMoney
    """``amount_b - amount_a``: what the partner gains (negative: loses) by the change."""

    _repr_html_ = _html.partner_diff

    def explain(self, lang: str = "en") -> str:
        """The partner's two amounts and the change.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy
        >>> a = RebatePolicy(id="A", name="A", currency="CNY",
        ...                  brackets=(Bracket(start=0, rate="0.02"),))
        >>> b = a.model_copy(update={"id": "B", "brackets": (Bracket(start=0, rate="0.025"),)})
        >>> d = simulate({"A": a, "B": b}, {"D1": 60_000}).diff("A", "B")[0]
        >>> print(d.explain())
        D1 on a basis of 60,000: 1,200.00 -> 1,500.00 CNY (change +300.00)
        """
        return pick(
            lang,
            "{p} on a basis of {b}: {x} -> {y} {c} (change {d})",
            "{p}（基数 {b}）：{x} -> {y} {c}（变化 {d}）",
        ).format(
            p=self.partner_id,
            b=fmt_number(self.basis),
            x=_money(self.amount_a),
            y=_money(self.amount_b),
            c=self.change.currency,
            d=("+" if self.change.amount >= 0 else "") + _money(self.change),
        )


class Simulation(Model):
    """Every policy over every partner at every growth factor (返利测算), with its inputs.

    ``rows`` are policy-major, in the order of the mapping of policies, then growth in the order
    given. The policies, growth factors and bases are kept, so that
    [`diff`][channelkit.rebates.simulate.Simulation.diff] works on a simulation read back from
    JSON as well.
    """

    rows: tuple[SimulationRow, ...]
    """One row per policy and growth factor."""
    growth: tuple[ResultDec, ...]
    """The growth factors, in the order given."""
    policies: Mapping[Id, RebatePolicy]
    """The policies by id, in the order given."""
    bases: Mapping[Id, ResultDec]
    """Every partner's basis (before growth), in the order given."""

    _repr_html_ = _html.simulation

    def row(self, policy_id: str, growth: DecimalLike | None = None) -> SimulationRow:
        """The row of ``policy_id`` at ``growth`` (default: the first growth factor).

        Raises
        ------
        ArgumentError
            An id or a growth factor the simulation does not hold.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy
        >>> p = RebatePolicy(id="P", name="P", currency="CNY",
        ...                  brackets=(Bracket(start=0, rate="0.02"),))
        >>> s = simulate({"P": p}, {"D1": 1_000}, growth=(0, Decimal("0.1")))
        >>> s.row("P", Decimal("0.1")).total
        Money('22.00', 'CNY')
        """
        self._policy(policy_id, "policy_id")
        g, _ = self._factor(growth)
        for r in self.rows:
            if r.policy_id == policy_id and r.growth == g:
                return r
        msg = f"the simulation has no row for policy {policy_id!r} at growth {g}"
        raise ArgumentError(msg, argument="policy_id", value=policy_id)

    def _policy(self, key: object, name: str) -> RebatePolicy:
        if type(key) is not str or key not in self.policies:
            msg = (
                f"{name} must be the id of a simulated policy ({list(self.policies)}), got {key!r}"
            )
            raise ArgumentError(msg, argument=name, value=key)
        return self.policies[key]

    def _factor(self, growth: object) -> tuple[Decimal, int]:
        if growth is None:
            if not self.growth:
                msg = "the simulation holds no growth factor"
                raise ArgumentError(msg, argument="growth", value=growth)
            return self.growth[0], 0
        g = to_decimal(growth, "growth")
        for k, held in enumerate(self.growth):
            if held == g:
                return held, k
        shown = ", ".join(fmt_number(x) for x in self.growth)
        msg = f"growth must be one of the simulated growth factors ({shown}), got {g}"
        raise ArgumentError(msg, argument="growth", value=growth)

    def diff(self, a: str, b: str, growth: DecimalLike | None = None) -> tuple[PartnerDiff, ...]:
        r"""Partner by partner, what changes when policy ``b`` replaces policy ``a``.

        Parameters
        ----------
        a, b
            Ids of two simulated policies (in the same currency).
        growth
            One of the simulated growth factors; default the first.

        Returns
        -------
        tuple of PartnerDiff
            One per partner, sorted by ``change`` ascending (the biggest losers first), then by
            ``partner_id``.

        Raises
        ------
        ArgumentError
            An id or a growth factor the simulation does not hold.
        CurrencyMismatchError
            The two policies are in different currencies (only a simulation edited by hand).

        Notes
        -----
        $\text{change}_p = R_b\big(x_p (1+g)\big) - R_a\big(x_p (1+g)\big)$, with $R$ the
        rounded rebate of [`compute_rebate`][channelkit.compute_rebate]; the changes add up to
        the difference of the two rows' totals.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy
        >>> flat = RebatePolicy(id="FLAT", name="2% on all", currency="CNY", mode="flat",
        ...                     brackets=(Bracket(start=0, rate="0.02"),))
        >>> ladder = RebatePolicy(id="LADDER", name="Ladder", currency="CNY", brackets=(
        ...     Bracket(start=0, rate="0.01"), Bracket(start=100_000, rate="0.04")))
        >>> s = simulate({"flat": flat, "ladder": ladder}, {"D1": 50_000, "D2": 300_000})
        >>> [(d.partner_id, d.change.amount) for d in s.diff("flat", "ladder")]
        [('D1', Decimal('-500.00')), ('D2', Decimal('3000.00'))]
        """
        policy_a, policy_b = self._policy(a, "a"), self._policy(b, "b")
        if policy_a.currency != policy_b.currency:
            raise CurrencyMismatchError(policy_a.currency, policy_b.currency, f"diff of {a}, {b}")
        g, k = self._factor(growth)
        ids = list(self.bases)
        grown = grow(ids, list(self.bases.values()), g, factor_of(g, k), k)
        before, after = rebate_amounts(policy_a, grown), rebate_amounts(policy_b, grown)
        cur = policy_a.currency
        sub = CONTEXT.subtract
        changes = [sub(y, x) for x, y in zip(before, after, strict=True)]
        order = sorted(range(len(ids)), key=lambda i: (changes[i], ids[i]))
        make = Money._make
        return tuple(
            trusted(
                PartnerDiff,
                {
                    "partner_id": ids[i],
                    "basis": grown[i],
                    "amount_a": make(before[i], cur),
                    "amount_b": make(after[i], cur),
                    "change": make(changes[i], cur),
                },
            )
            for i in order
        )

    def explain(self, lang: str = "en") -> str:
        """Every row, policy by policy and growth by growth.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy
        >>> p = RebatePolicy(id="P", name="P", currency="CNY",
        ...                  brackets=(Bracket(start=10_000, rate="0.02"),))
        >>> print(simulate({"P": p}, {"D1": 60_000, "D2": 5_000}, growth=(0, "0.1")).explain())
        Simulation of 1 policies over 2 partners at growth 0%, +10%
          P at growth 0%: 1,000.00 CNY on a basis of 65,000.00 (cost rate 1.54%); 1 of 2
          partners paid, least 0.00, most 1,000.00
          P at growth +10%: 1,120.00 CNY on a basis of 71,500.00 (cost rate 1.57%); 1 of 2
          partners paid, least 0.00, most 1,120.00
        """
        head = pick(
            lang,
            "Simulation of {p} policies over {n} partners at growth {g}",
            "返利测算：{p} 项政策，{n} 个伙伴，增长 {g}",
        ).format(
            p=len(self.policies),
            n=f"{len(self.bases):,}",
            g=pick(lang, ", ", "、").join(_growth_text(g) for g in self.growth),
        )
        return "\n".join([head, *("  " + r.explain(lang) for r in self.rows)])


def _row(
    key: str,
    policy: RebatePolicy,
    g: Decimal,
    basis: Decimal,
    amounts: list[Decimal],
) -> SimulationRow:
    cur = policy.currency
    n = len(amounts)
    with localcontext(CONTEXT):
        total = sum(amounts, Decimal((0, (0,), -CURRENCIES[cur])))
    lo = min(amounts) if amounts else None
    hi = max(amounts) if amounts else None
    unpaid = amounts.count(_ZERO)
    if lo is not None and lo < 0:
        unpaid += sum(1 for a in amounts if a < 0)
    make = Money._make
    return trusted(
        SimulationRow,
        {
            "policy_id": key,
            "growth": g,
            "basis_kind": RebateBasis(policy.basis),
            "partners": n,
            "basis": basis,
            "total": make(total, cur),
            "cost_rate": CONTEXT.divide(total, basis) if basis else _ZERO,
            "partners_paid": n - unpaid,
            "min": None if lo is None else make(lo, cur),
            "max": None if hi is None else make(hi, cur),
        },
    )


def simulate(
    policies: Mapping[str, RebatePolicy],
    bases: Mapping[str, DecimalLike] | TableLike,
    *,
    growth: Sequence[DecimalLike] = (_ZERO,),
) -> Simulation:
    r"""What each policy would pay every partner, at each growth of the bases (返利政策测算).

    Parameters
    ----------
    policies
        The policies to compare, by id (the rows' ``policy_id``), in one currency and all with
        money bases or all with units. A policy must need nothing but the basis: no conditions
        or payout (metrics), no ``INCREMENTAL`` basis (a baseline), no ``tier_basis``, not
        tiered per transaction.
    bases
        Each partner's basis (last year's net sales, say): a mapping of partner id to a
        number, or a table with ``partner_id`` (text) and ``basis`` (integer, decimal or
        numeric text) columns: a pyarrow ``Table`` or ``RecordBatchReader``, a pandas >= 2.2
        or polars ``DataFrame``, anything with ``__arrow_c_stream__`` (needs the ``frames``
        extra).
    growth
        Growth factors $g \ge -1$, each applied to every basis: ``(0, Decimal("0.1"))``
        simulates the bases as they are and 10% up.

    Returns
    -------
    Simulation
        ``rows``: one [`SimulationRow`][channelkit.rebates.simulate.SimulationRow] per policy
        and growth (policy-major, in the orders given), and the inputs, for
        [`diff`][channelkit.rebates.simulate.Simulation.diff].

    Raises
    ------
    PolicyError
        A policy that needs more than a basis (see ``policies``), policies of money and units
        bases together, or a basis below zero for a policy that does not ``allow_negative``
        (as [`compute_rebate`][channelkit.compute_rebate] refuses it).
    CurrencyMismatchError
        Policies in different currencies.
    FrameError
        A table without the two columns, with a floating-point or null value, or a blank or
        repeated ``partner_id``.
    ArgumentError
        A basis or growth factor outside the input bounds (named ``bases['D1']``,
        ``growth[1]``), a grown basis outside them, a growth below -1 or repeated, no policy,
        no growth; an [`ArgumentTypeError`][channelkit.ArgumentTypeError] for arguments of
        the wrong type (a ``float`` basis among them).

    Notes
    -----
    For policy $P$, growth $g$ and partners $p$ with bases $x_p$:

    $$
    \begin{aligned}
    \text{total} &= \sum_p R_P\big(x_p (1 + g)\big) \qquad
    \text{cost rate} = \frac{\text{total}}{\sum_p x_p (1 + g)} \\
    \text{min}, \text{max} &= \min_p, \max_p R_P\big(x_p (1 + g)\big)
    \end{aligned}
    $$

    where $R_P$ is the rounded amount [`compute_rebate`][channelkit.compute_rebate] gives
    (so the total is what would be paid, each partner rounded to the minor unit), computed by
    [`rebate_amounts`][channelkit.rebate_amounts]. The grown basis is exact: one outside the
    input bounds (at or above $10^{15}$, more than 34 digits) is an argument error rather than
    a rounded figure. ``partners_paid`` counts the amounts above zero; ``min`` and ``max``
    include the partners paid nothing and are ``None`` without partners; the cost rate is 0
    when the total basis is 0. A table is read in columns (its partner ids and bases once,
    every growth and policy then from those lists), and gives a simulation equal to the one
    of the same bases as a mapping.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> ladder = RebatePolicy(id="LADDER", name="Ladder", currency="CNY", brackets=(
    ...     Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")))
    >>> volume = RebatePolicy.model_validate({**ladder.model_dump(), "id": "V", "mode": "volume"})
    >>> s = simulate({"graduated": ladder, "volume": volume},
    ...              {"D1": 8_000, "D2": 40_000, "D3": 120_000}, growth=(0, Decimal("0.25")))
    >>> [(r.policy_id, r.growth, r.total.amount, r.partners_paid) for r in s.rows]
    [('graduated', Decimal('0'), Decimal('3500.00'), 2),
     ('graduated', Decimal('0.25'), Decimal('4600.00'), 2),
     ('volume', Decimal('0'), Decimal('4400.00'), 2),
     ('volume', Decimal('0.25'), Decimal('6200.00'), 3)]
    """
    checked = read_policies(policies)
    factors = growth_factors(growth)
    ids, values = table_bases(bases) if is_table(bases) else mapping_bases(bases)
    negative = None
    if values and min(values) < 0:
        negative = next(i for i, v in enumerate(values) if v < 0)
    built: dict[tuple[str, int], SimulationRow] = {}
    for k, (g, f) in enumerate(factors):
        grown = grow(ids, values, g, f, k)
        if negative is not None and f:
            for policy in checked.values():
                if not policy.allow_negative:
                    msg = (
                        f"policy {policy.id}: bases[{ids[negative]!r}] is below zero "
                        f"({values[negative]}), which only a policy with allow_negative takes"
                    )
                    raise PolicyError(msg, policy=policy.id)
        with localcontext(CONTEXT):
            basis = sum(grown, _ZERO)
        for key, policy in checked.items():
            built[key, k] = _row(key, policy, g, basis, rebate_amounts(policy, grown))
    return trusted(
        Simulation,
        {
            "rows": tuple(built[key, k] for key in checked for k in range(len(factors))),
            "growth": tuple(g for g, _ in factors),
            "policies": checked,
            "bases": dict(zip(ids, values, strict=True)),
        },
    )
