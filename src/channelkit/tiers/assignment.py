"""Placing a partner in a tier programme: [`assign_tier`][] and its [`TierDecision`][]."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, DecimalException
from typing import Final, Self

from pydantic import model_validator

from channelkit.errors import ArgumentError, ArgumentTypeError, PolicyError, expect
from channelkit.labels import LabeledEnum, fmt_amount, fmt_number, pick
from channelkit.model import Id, Model, trusted
from channelkit.numeric import (
    CONTEXT,
    DecimalLike,
    NonNegativeCount,
    ResultDec,
    ResultNonNegative,
    to_decimal,
)
from channelkit.scoring import Score, score
from channelkit.tiers import _html
from channelkit.tiers.models import Tier, TierProgram

__all__ = ["SCORE_METRIC", "Gap", "TierChange", "TierDecision", "assign_tier"]

SCORE_METRIC: Final = "score"
"""The ``Gap.metric`` of a gap in the scorecard total (a tier's ``min_score``)."""


class TierChange(LabeledEnum):
    """What an evaluation did to a partner's tier."""

    NEW = "new", "New placement", "首次定级"
    PROMOTED = "promoted", "Promoted", "晋级"
    RETAINED = "retained", "Retained", "保级"
    ON_WATCH = "on_watch", "On watch", "观察期"
    DEMOTED = "demoted", "Demoted", "降级"


class Gap(Model):
    """What a partner still lacks on one requirement of a tier (or on its ``min_score``).

    Examples
    --------
    >>> Gap(metric="sales", required=500_000, actual=420_000, shortfall=80_000).shortfall
    Decimal('80000')
    """

    metric: Id
    """The requirement's metric key, or ``"score"`` for the tier's ``min_score``."""
    required: ResultDec
    """The minimum the tier requires."""
    actual: ResultDec
    """The partner's figure (the scorecard total for ``"score"``)."""
    shortfall: ResultNonNegative
    """``required - actual``: how much more the partner must achieve (above 0)."""

    @model_validator(mode="after")
    def _check_shortfall(self) -> Self:
        try:
            expected = CONTEXT.subtract(self.required, self.actual)
        except DecimalException:  # two figures near 10**999999 of opposite signs
            msg = f"required - actual is out of range (metric {self.metric!r})"
            raise ValueError(msg) from None
        if self.shortfall != expected:
            msg = (
                f"shortfall must be required - actual = {expected}, got {self.shortfall} "
                f"(metric {self.metric!r})"
            )
            raise ValueError(msg)
        if not expected > 0:
            msg = f"shortfall must be above 0 (required above actual), got {expected}"
            raise ValueError(msg)
        return self


class TierDecision(Model):
    """The result of [`assign_tier`][]: the tier, the change, the counter and the gaps."""

    tier: Tier | None
    """The tier assigned, ``None`` when the partner qualifies for none (and holds none)."""
    previous: Tier | None
    """The tier held before the evaluation (``current``), ``None`` for a first placement."""
    change: TierChange
    """NEW, PROMOTED, RETAINED, ON_WATCH or DEMOTED."""
    missed: NonNegativeCount
    """The count of evaluations in a row the tier held was failed: store it for next time."""
    gaps: tuple[Gap, ...] = ()
    """One per unmet requirement (and ``min_score``) of ``gaps_to``."""
    gaps_to: Tier | None = None
    """The tier the gaps refer to: the tier held when ON_WATCH (what keeps it), otherwise the
    next tier above the one assigned; ``None`` at the top."""
    qualified: tuple[str, ...] = ()
    """Codes of every tier whose requirements and ``min_score`` are met, highest rank first."""
    score: Score | None = None
    """The scorecard result, when the programme has a scorecard."""
    demotion_grace: NonNegativeCount = 1
    """The programme's grace: evaluations in a row a tier may be failed and kept."""

    _repr_html_ = _html.tier_decision

    def explain(self, lang: str = "en") -> str:
        """The decision, the score, the tiers qualified for and what is still missing.

        Examples
        --------
        >>> from channelkit import Requirement
        >>> program = TierProgram(tiers=(
        ...     Tier(code="SILVER", name="Silver", rank=2,
        ...          requirements=(Requirement(metric="sales", minimum=500_000),)),
        ...     Tier(code="BRONZE", name="Bronze", rank=1),
        ... ))
        >>> print(assign_tier(program, {"sales": 420_000}, current="SILVER").explain())
        On watch: keeps SILVER (Silver), failed 1 time(s) in a row (grace 1)
        Qualifies for: BRONZE
        Missed evaluations to store: 1
        To keep SILVER (Silver):
          sales: 420,000 of 500,000 required, short by 80,000
        >>> print(assign_tier(program, {"sales": 600_000}, current="SILVER").explain("zh"))
        保级：SILVER（Silver）
        符合级别：SILVER、BRONZE
        待存储的连续未达标次数：0
        已是最高级别
        """
        lines = [self._headline(lang)]
        if self.score is not None:
            lines.append(
                pick(lang, "Score: {s}", "得分：{s}").format(s=fmt_amount(self.score.total))
            )
        if self.qualified:
            sep = pick(lang, ", ", "、")
            lines.append(
                pick(lang, "Qualifies for: {q}", "符合级别：{q}").format(q=sep.join(self.qualified))
            )
        else:
            lines.append(pick(lang, "Qualifies for no tier", "不符合任何级别"))
        lines.append(
            pick(lang, "Missed evaluations to store: {m}", "待存储的连续未达标次数：{m}").format(
                m=self.missed
            )
        )
        if self.gaps_to is None:
            lines.append(pick(lang, "Top tier: nothing higher to reach", "已是最高级别"))
            return "\n".join(lines)
        to = (
            pick(lang, "To keep {t}:", "保住 {t}还需：")
            if self.change is TierChange.ON_WATCH
            else pick(lang, "To reach {t}:", "升至 {t}还需：")
        )
        lines.append(to.format(t=_name(self.gaps_to, lang)))
        for g in self.gaps:
            num = fmt_amount if g.metric == SCORE_METRIC else fmt_number
            lines.append(
                pick(
                    lang,
                    "  {m}: {a} of {r} required, short by {s}",
                    "  {m}：实际 {a}，要求 {r}，差 {s}",
                ).format(m=g.metric, a=num(g.actual), r=num(g.required), s=num(g.shortfall))
            )
        return "\n".join(lines)

    def _headline(self, lang: str) -> str:
        none = pick(lang, "no tier", "无级别")
        new = _name(self.tier, lang) if self.tier is not None else none
        old = _name(self.previous, lang) if self.previous is not None else none
        if self.change is TierChange.NEW:
            text = pick(lang, "New placement: {new}", "首次定级：{new}")
        elif self.change is TierChange.PROMOTED:
            text = pick(lang, "Promoted from {old} to {new}", "晋级：由 {old}升至 {new}")
        elif self.change is TierChange.RETAINED:
            text = pick(lang, "Retained {new}", "保级：{new}")
        elif self.change is TierChange.ON_WATCH:
            text = pick(
                lang,
                "On watch: keeps {new}, failed {m} time(s) in a row (grace {g})",
                "观察期：保留 {new}，已连续 {m} 次未达标（宽限 {g} 次）",
            )
        else:
            text = pick(
                lang,
                "Demoted from {old} to {new}: failed more than the grace of {g} time(s) in a row",
                "降级：由 {old}降至 {new}，连续未达标超过宽限 {g} 次",
            )
        return text.format(new=new, old=old, m=self.missed, g=self.demotion_grace)


def _name(tier: Tier, lang: str) -> str:
    return pick(lang, "{c} ({n})", "{c}（{n}）").format(c=tier.code, n=tier.name)


def assign_tier(
    program: TierProgram,
    metrics: Mapping[str, DecimalLike | None],
    *,
    current: str | None = None,
    missed: int = 0,
) -> TierDecision:
    r"""Place a partner in ``program`` from its ``metrics`` at one periodic evaluation.

    Parameters
    ----------
    program
        The tiers, the scorecard (if any) and the demotion grace.
    metrics
        The partner's figures by key: every metric a tier requires must be supplied (the
        scorecard's own metrics follow its missing-metric rule). ``None`` counts as not supplied.
    current
        The code of the tier the partner holds (``Partner.tier``), ``None`` if it holds none.
    missed
        The counter stored from the last decision (``TierDecision.missed``): evaluations in a
        row the partner has failed its ``current`` tier. Ignored when ``current`` is ``None``.

    Returns
    -------
    TierDecision
        The tier, the change, the counter to store, the gaps and the score.

    Raises
    ------
    PolicyError
        ``current`` is not a tier of the programme, a figure a tier requires is missing
        (``.metric`` names it), or the scorecard (``missing=RAISE``) lacks a figure.
    ArgumentError
        ``missed`` is negative, or a figure is invalid (see [`score`][]; a ``ValueError``).
    ArgumentTypeError
        ``program`` is not a [`TierProgram`][], ``metrics`` not a mapping, ``current`` not a
        ``str`` or ``None``, ``missed`` not an ``int``, or a figure is a ``float`` (a
        ``TypeError``).

    Notes
    -----
    A tier is qualified when every requirement is met (figure $\ge$ minimum, inclusive)
    and the score reaches ``min_score`` (inclusive). Let *best* be the highest-ranked tier
    qualified for. Then, in this order:

    * no ``current`` tier: the partner gets *best* (NEW, possibly ``None``), ``missed = 0``;
    * *best* ranks above ``current``: promotion is immediate (PROMOTED), ``missed = 0``;
    * ``current`` is qualified: it is kept (RETAINED) and ``missed`` resets to 0;
    * otherwise the partner failed its tier and ``missed + 1`` is counted: while it is at most
      ``demotion_grace`` the tier is kept (ON_WATCH, ``missed + 1`` stored); beyond that the
      partner drops to *best* (DEMOTED, possibly to no tier) and ``missed`` restarts at 0.
      With ``demotion_grace = 0`` the first failure demotes.

    The gaps are measured against the tier held when ON_WATCH (what keeps it), otherwise against
    the next tier above the one assigned (the lowest tier when none is assigned; none at the
    top): one [`Gap`][] per unmet requirement, then one for ``min_score``
    (metric ``"score"``), each with ``shortfall = required - actual``.

    Examples
    --------
    >>> from channelkit import Metric, Requirement, Scorecard
    >>> program = TierProgram(
    ...     tiers=(Tier(code="GOLD", name="Gold", rank=3, min_score=90,
    ...                 requirements=(Requirement(metric="sales", minimum=1_000_000),)),
    ...            Tier(code="SILVER", name="Silver", rank=2,
    ...                 requirements=(Requirement(metric="sales", minimum=500_000),)),
    ...            Tier(code="BRONZE", name="Bronze", rank=1)),
    ...     scorecard=Scorecard(metrics=(Metric(key="sales", weight=1, target=1_000_000),)))
    >>> d = assign_tier(program, {"sales": 800_000}, current="BRONZE")
    >>> d.change, d.tier.code, d.missed
    (<TierChange.PROMOTED: 'promoted'>, 'SILVER', 0)
    >>> [(g.metric, g.shortfall) for g in d.gaps]
    [('sales', Decimal('200000')), ('score', Decimal('10.0'))]
    >>> d = assign_tier(program, {"sales": 450_000}, current="SILVER", missed=1)
    >>> d.change, d.tier.code, d.missed
    (<TierChange.DEMOTED: 'demoted'>, 'BRONZE', 0)
    """
    _check_arguments(program, metrics, current)
    missed = _check_missed(missed)
    held: Tier | None = None
    if current is not None:
        try:
            held = program.tier(current)
        except KeyError:
            codes = ", ".join(t.code for t in program.ranked)
            msg = f"current tier {current!r} is not in the programme (its tiers: {codes})"
            raise PolicyError(msg) from None
    ranked = program.ranked
    result = score(program.scorecard, metrics) if program.scorecard is not None else None
    unmet = _unmet_by_tier(ranked, metrics, result)
    qualified = [t for t in reversed(ranked) if not unmet[t.code]]
    best = qualified[0] if qualified else None
    grace = program.demotion_grace
    tier: Tier | None
    if held is None:
        tier, change, missed = best, TierChange.NEW, 0
    elif best is not None and best.rank > held.rank:
        tier, change, missed = best, TierChange.PROMOTED, 0
    elif not unmet[held.code]:
        tier, change, missed = held, TierChange.RETAINED, 0
    elif missed + 1 <= grace:
        tier, change, missed = held, TierChange.ON_WATCH, missed + 1
    else:
        tier, change, missed = best, TierChange.DEMOTED, 0
    gaps_to = held if change is TierChange.ON_WATCH else program.above(tier)
    # Built from validated inputs (the programme's, to_decimal's and score's): no re-validation.
    return trusted(
        TierDecision,
        {
            "tier": tier,
            "previous": held,
            "change": change,
            "missed": missed,
            "gaps": () if gaps_to is None else tuple(unmet[gaps_to.code]),
            "gaps_to": gaps_to,
            "qualified": tuple(t.code for t in qualified),
            "score": result,
            "demotion_grace": grace,
        },
    )


def _check_arguments(program: object, metrics: object, current: object) -> None:
    expect(program, TierProgram, "program", "a TierProgram")
    expect(metrics, Mapping, "metrics", "a mapping of metric keys to figures")
    if current is not None and not isinstance(current, str):
        msg = f"current must be a tier code (str) or None, not {type(current).__name__}"
        raise ArgumentTypeError(msg, argument="current", value=current)


def _check_missed(missed: object) -> int:
    if isinstance(missed, bool) or not isinstance(missed, int):
        got = repr(missed)[:40] if isinstance(missed, bool | float | str) else type(missed).__name__
        msg = f"missed must be an int, got {got}"
        raise ArgumentTypeError(msg, argument="missed", value=missed)
    if missed < 0:
        got = str(missed) if missed.bit_length() <= 64 else "a huge negative int"  # str() refuses
        msg = f"missed must be at least 0, got {got}"
        raise ArgumentError(msg, argument="missed", value=missed)
    return int(missed)


def _unmet_by_tier(
    ranked: tuple[Tier, ...], metrics: Mapping[str, DecimalLike | None], result: Score | None
) -> dict[str, list[Gap]]:
    """Every tier's gaps (empty when the tier is qualified), by tier code."""
    # the scorecard's figures are already converted and checked: reuse them
    figures: dict[str, Decimal] = (
        {} if result is None else {p.key: p.actual for p in result.parts if p.actual is not None}
    )
    out: dict[str, list[Gap]] = {}
    subtract = CONTEXT.subtract
    for t in ranked:
        gaps: list[Gap] = []
        for r in t.requirements:
            actual = figures.get(r.metric)
            if actual is None:
                raw = metrics.get(r.metric)
                if raw is None:
                    msg = f"tier {t.code!r} requires metric {r.metric!r}, which was not supplied"
                    raise PolicyError(msg, metric=r.metric)
                actual = figures[r.metric] = to_decimal(raw, r.metric)
            if actual < r.minimum:
                short = subtract(r.minimum, actual)
                gaps.append(
                    trusted(
                        Gap,
                        {
                            "metric": r.metric,
                            "required": r.minimum,
                            "actual": actual,
                            "shortfall": short,
                        },
                    )
                )
        if t.min_score is not None and result is not None and result.total < t.min_score:
            short = subtract(t.min_score, result.total)
            gaps.append(
                trusted(
                    Gap,
                    {
                        "metric": SCORE_METRIC,
                        "required": t.min_score,
                        "actual": result.total,
                        "shortfall": short,
                    },
                )
            )
        out[t.code] = gaps
    return out
