"""A policy's design flaws, found before it is published: [`lint`][channelkit.rebates.lint.lint].

[`lint`][channelkit.rebates.lint.lint] reads a [`RebatePolicy`][channelkit.RebatePolicy] alone
(no basis, no transactions) and returns its [`Finding`][channelkit.rebates.lint.Finding]s: a
cliff where buying more pays less, a rate that falls, a bracket the cap makes pointless, a
threshold or a cap that does nothing sensible, a ladder that pays nothing. Each finding names
the bracket, cites the figures and explains itself in English and Chinese.

The amounts compared are exact: they are computed in a private context wide enough for any
product and sum of the policy's own figures (no rounding at all), at the bracket starts
themselves, never by sampling bases.
"""

from __future__ import annotations

from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Final

from channelkit.labels import LabeledEnum, fmt_number, fmt_pct, pick
from channelkit.model import Model, trusted
from channelkit.numeric import CONTEXT, MAX_DIGITS, NonNegativeCount, ResultDec
from channelkit.rebates import _html
from channelkit.rebates.engine import check_policy
from channelkit.rebates.models import Boundary, RebateBasis, RebatePolicy, SettleUnit, TierMode
from channelkit.scales import Severity

__all__ = ["Finding", "FindingCode", "lint"]

_ZERO: Final = Decimal(0)

_EXACT: Final = Context(
    prec=400,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""Wide enough that no sum or product of a policy's figures is ever rounded.

Every figure of a valid policy has at most 34 digits and lies between ``10**-34`` and
``10**15``: a product spans at most 68 digits, and a sum of them from ``10**30`` down to
``10**-68`` at most about 100; 400 digits leave every comparison exact.
"""


class FindingCode(LabeledEnum):
    """What [`lint`][channelkit.rebates.lint.lint] found, in the order ties are reported."""

    CLIFF = "cliff", "Cliff", "断崖"
    RATE_DROP = "rate_drop", "Rate drop", "返利率下降"
    UNREACHABLE = "unreachable", "Unreachable bracket", "无效档位"
    THRESHOLD_BELOW_FIRST = "threshold_below_first", "Ineffective threshold", "无效门槛"
    CAP_BELOW_FLAT = "cap_below_flat", "Cap below a flat amount", "封顶低于固定返利"
    ZERO_LADDER = "zero_ladder", "Zero ladder", "零返利阶梯"


SEVERITY: Final[dict[FindingCode, Severity]] = {
    FindingCode.CLIFF: Severity.HIGH,
    FindingCode.RATE_DROP: Severity.LOW,
    FindingCode.UNREACHABLE: Severity.MEDIUM,
    FindingCode.THRESHOLD_BELOW_FIRST: Severity.LOW,
    FindingCode.CAP_BELOW_FLAT: Severity.MEDIUM,
    FindingCode.ZERO_LADDER: Severity.HIGH,
}
"""The severity of each code (settled in the contract)."""

_ORDER: Final = {code: i for i, code in enumerate(FindingCode)}


class Finding(Model):
    """One flaw of a policy's design (返利政策设计问题), with the figures that show it.

    ``message`` is the English text; [`explain`][channelkit.rebates.lint.Finding.explain] gives
    it in either language from the fields, so ``explain("en") == message``.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> volume = RebatePolicy(id="V", name="V", currency="CNY", mode="volume", brackets=(
    ...     Bracket(start=0, rate="0.03"), Bracket(start=100_000, rate="0.02")))
    >>> cliff = lint(volume)[0]
    >>> cliff.code, cliff.severity, cliff.bracket
    (<FindingCode.CLIFF: 'cliff'>, <Severity.HIGH: 'high'>, 1)
    >>> cliff.value, cliff.reference
    (Decimal('2000.00'), Decimal('3000.00'))
    """

    code: FindingCode
    """What was found."""
    severity: Severity
    """CLIFF and ZERO_LADDER are HIGH, UNREACHABLE and CAP_BELOW_FLAT MEDIUM, the others LOW."""
    bracket: NonNegativeCount | None = None
    """The position in ``policy.brackets`` of the bracket concerned (``None``: the whole policy)."""
    message: str
    """What was found, in English, with its figures."""
    start: ResultDec | None = None
    """The start of ``bracket`` (``None`` when the finding names no bracket)."""
    value: ResultDec | None = None
    """The figure at fault: CLIFF the amount from the start on; RATE_DROP the bracket's rate;
    UNREACHABLE what the brackets below pay at the start; THRESHOLD_BELOW_FIRST the threshold;
    CAP_BELOW_FLAT the cap; ZERO_LADDER none."""
    reference: ResultDec | None = None
    """What ``value`` is compared with: CLIFF the amount just below the start; RATE_DROP the
    rate before; UNREACHABLE the cap; THRESHOLD_BELOW_FIRST the first start; CAP_BELOW_FLAT the
    bracket's flat; ZERO_LADDER none."""
    per_unit: bool = False
    """Whether rates are money per unit (a ``UNITS`` basis) rather than fractions."""

    _repr_html_ = _html.finding

    def explain(self, lang: str = "en") -> str:
        """The finding in ``lang`` (``"en"`` or ``"zh"``), its figures included.

        Examples
        --------
        >>> from channelkit import Bracket, RebatePolicy
        >>> p = RebatePolicy(id="P", name="P", currency="CNY", threshold=5_000, brackets=(
        ...     Bracket(start=10_000, rate="0.02"),))
        >>> print(lint(p)[0].explain("zh"))
        无效门槛：门槛 5,000 不高于第一档起点 10,000，不起任何作用
        """
        return text(
            self.code,
            self.bracket,
            self.start,
            self.value,
            self.reference,
            per_unit=self.per_unit,
            lang=lang,
        )


def _rate(rate: Decimal | None, per_unit: bool, lang: str) -> str:
    if rate is None:
        return "?"
    if per_unit:
        return pick(lang, "{r} per unit", "每件 {r}").format(r=fmt_number(rate))
    return fmt_pct(rate, 4)


def _num(value: Decimal | None) -> str:
    return "?" if value is None else fmt_number(value)


def text(
    code: FindingCode,
    bracket: int | None,
    start: Decimal | None,
    value: Decimal | None,
    reference: Decimal | None,
    *,
    per_unit: bool = False,
    lang: str = "en",
) -> str:
    """The text of a finding with these fields in ``lang`` (``Finding.message`` is the English)."""
    label = code.label(lang)
    v, ref = _num(value), _num(reference)
    if code is FindingCode.CLIFF:
        body = pick(
            lang,
            "crossing the start lowers the rebate from {r} to {v}, so buying more pays less",
            "越过起点后返利由 {r} 降至 {v}，多买反而少拿",
        )
    elif code is FindingCode.RATE_DROP:
        v, ref = _rate(value, per_unit, lang), _rate(reference, per_unit, lang)
        body = pick(
            lang,
            "it pays {v}, less than the {r} of the bracket before it",
            "返利率 {v}，低于上一档的 {r}",
        )
    elif code is FindingCode.UNREACHABLE:
        body = pick(
            lang,
            "the brackets below it already pay {v} at its start, reaching the cap of {r}",
            "其下各档在起点已返利 {v}，达到封顶 {r}",
        )
    elif code is FindingCode.THRESHOLD_BELOW_FIRST:
        body = pick(
            lang,
            "the threshold of {v} is at or below the first bracket's start ({r}), so it has no "
            "effect",
            "门槛 {v} 不高于第一档起点 {r}，不起任何作用",
        )
    elif code is FindingCode.CAP_BELOW_FLAT:
        body = pick(
            lang, "its flat amount of {r} is above the cap of {v}", "固定返利 {r} 高于封顶 {v}"
        )
    else:
        body = pick(
            lang,
            "no bracket pays anything: every rate and flat amount is 0",
            "所有档位的返利率和固定返利均为 0，不产生任何返利",
        )
    body = body.format(v=v, r=ref)
    if bracket is None:
        return pick(lang, "{c}: {b}", "{c}：{b}").format(c=label, b=body)
    return pick(
        lang, "{c} at brackets[{j}] (from {s}): {b}", "{c}：档位 brackets[{j}]（起点 {s}），{b}"
    ).format(c=label, j=bracket, s=_num(start), b=body)


def finding(
    code: FindingCode,
    *,
    bracket: int | None = None,
    start: Decimal | None = None,
    value: Decimal | None = None,
    reference: Decimal | None = None,
    per_unit: bool = False,
) -> Finding:
    """A finding of ``code``: its severity from `SEVERITY`, its message from the figures."""
    return trusted(
        Finding,
        {
            "code": code,
            "severity": SEVERITY[code],
            "bracket": bracket,
            "message": text(code, bracket, start, value, reference, per_unit=per_unit),
            "start": start,
            "value": value,
            "reference": reference,
            "per_unit": per_unit,
        },
    )


def lint(policy: RebatePolicy) -> tuple[Finding, ...]:
    r"""The design flaws of ``policy`` (返利政策体检), in bracket order; ``()`` for a clean one.

    Parameters
    ----------
    policy
        The policy to check. Only the brackets its mode uses are read (FLAT: the first).

    Returns
    -------
    tuple of Finding
        THRESHOLD_BELOW_FIRST and ZERO_LADDER first (they name no bracket), then by bracket;
        findings on one bracket in the order of [`FindingCode`][channelkit.rebates.FindingCode].

    Raises
    ------
    ArgumentTypeError
        ``policy`` is not a ``RebatePolicy``.

    Notes
    -----
    With starts $s_j$, rates $r_j$, flats $f_j$, the amount of basis $x$ with bracket $i$
    applied is $g_i(x)$ (GRADUATED: $\sum_{k<i} ((s_{k+1}-s_k) r_k + f_k) + (x-s_i) r_i + f_i$;
    VOLUME: $x r_i + f_i$), bounded by the cap $c$: $\bar g = \min(g, c)$. At each start
    $s_j$ ($j \ge 1$) the amount just below the start tends to $b_j = g_{j-1}(s_j)$ (under
    EXCEED it is the amount at $s_j$ itself) and the amount from the start on begins at
    $a_j = g_j(s_j)$ (EXCEED: just above it). Then, exactly:

    - CLIFF at $j$ when $\bar g(a_j) < \bar g(b_j)$ and a basis just below $s_j$ meets the
      threshold $t$ (REACH: $t < s_j$; EXCEED: $t \le s_j$). GRADUATED ladders never have one
      ($a_j = b_j + f_j \ge b_j$); a VOLUME ladder has one where $s_j r_j + f_j <
      s_j r_{j-1} + f_{j-1}$ below the cap. The amounts are those before conditions, payout and
      the tier multiplier (all met, none, 1) and before rounding: a drop of less than a cent
      is still a cliff.
    - RATE_DROP at $j$ when $r_j < r_{j-1}$ (a LOW finding on its own; with VOLUME it usually
      comes with a CLIFF).
    - UNREACHABLE at $j$ when $c \le b_j$ (with $b_0 = 0$): the brackets below already reach
      the cap at $s_j$, whatever the threshold; its own flat does not count. A cap of 0 makes
      every bracket UNREACHABLE.
    - THRESHOLD_BELOW_FIRST when $t \le s_0$: a basis that reaches the first bracket always
      meets it. Not for ``per=TRANSACTION``, where each sale is tiered on its own figure but
      the threshold is compared with the period's net total (returns can keep it below).
    - CAP_BELOW_FLAT at $j$ when $f_j > c$ for a flat the policy pays (FLAT: $f_0$ only).
    - ZERO_LADDER when every rate and flat is 0.

    A policy with ``tier_basis`` (another figure picks the bracket) skips CLIFF and
    UNREACHABLE: its amounts are not a function of one basis.

    Examples
    --------
    >>> from channelkit import Bracket, RebatePolicy
    >>> volume = RebatePolicy(id="V", name="V", currency="CNY", mode="volume", cap=1_800,
    ...     threshold=0, brackets=(Bracket(start=0, rate="0.03"), Bracket(start=50_000,
    ...     rate="0.02"), Bracket(start=100_000, rate="0.025")))
    >>> for f in lint(volume):
    ...     print(f.severity.value, f.code.value, f.bracket, f.value, f.reference)
    low threshold_below_first None 0 0
    high cliff 1 1000.00 1500.00
    low rate_drop 1 0.02 0.03
    medium unreachable 2 2000.00 1800
    >>> print(lint(volume)[2].message)
    Rate drop at brackets[1] (from 50,000): it pays 2%, less than the 3% of the bracket before it
    >>> lint(RebatePolicy(id="OK", name="OK", currency="CNY", brackets=(
    ...     Bracket(start=0, rate="0.01"), Bracket(start=10_000, rate="0.02"))))
    ()
    """
    check_policy(policy)
    mode = TierMode(policy.mode)
    reach = Boundary(policy.boundary) is Boundary.REACH
    per_unit = RebateBasis(policy.basis) is RebateBasis.UNITS
    used = policy.brackets[:1] if mode is TierMode.FLAT else policy.brackets
    starts = [b.start.copy_abs() for b in used]
    rates = [b.rate.copy_abs() for b in used]
    flats = [b.flat.copy_abs() for b in used]
    threshold = None if policy.threshold is None else policy.threshold.copy_abs()
    cap = None if policy.cap is None else policy.cap.copy_abs()
    tiered = policy.tier_basis is not None  # another figure picks the bracket
    found: list[Finding] = []

    def add(code: FindingCode, j: int | None, **figures: Decimal) -> None:
        shown = {name: _shown(value) for name, value in figures.items()}
        start = starts[j] if j is not None else None
        found.append(finding(code, bracket=j, start=start, per_unit=per_unit, **shown))

    per_sale = SettleUnit(policy.per) is SettleUnit.TRANSACTION
    if threshold is not None and threshold <= starts[0] and not per_sale:
        add(FindingCode.THRESHOLD_BELOW_FIRST, None, value=threshold, reference=starts[0])
    if not any(rates) and not any(flats):
        add(FindingCode.ZERO_LADDER, None)
    below_full = _ZERO  # GRADUATED: the full slices and flats of the brackets under j
    for j, s in enumerate(starts):
        below = _ZERO  # what the brackets under j pay at s (b_j)
        if j:
            if mode is TierMode.GRADUATED:
                slice_ = _EXACT.multiply(_EXACT.subtract(s, starts[j - 1]), rates[j - 1])
                below_full = _EXACT.add(below_full, _EXACT.add(slice_, flats[j - 1]))
                below, above = below_full, _EXACT.add(below_full, flats[j])
            else:
                below = _EXACT.add(_EXACT.multiply(s, rates[j - 1]), flats[j - 1])
                above = _EXACT.add(_EXACT.multiply(s, rates[j]), flats[j])
            met = threshold is None or (threshold < s if reach else threshold <= s)
            if not tiered and met and _capped(above, cap) < _capped(below, cap):
                add(FindingCode.CLIFF, j, value=_capped(above, cap), reference=_capped(below, cap))
            if rates[j] < rates[j - 1]:
                add(FindingCode.RATE_DROP, j, value=rates[j], reference=rates[j - 1])
        if not tiered and cap is not None and cap <= below:
            add(FindingCode.UNREACHABLE, j, value=below, reference=cap)
        if cap is not None and flats[j] > cap:
            add(FindingCode.CAP_BELOW_FLAT, j, value=cap, reference=flats[j])
    found.sort(key=lambda f: (f.bracket is not None, f.bracket or 0, _ORDER[f.code]))
    return tuple(found)


def _shown(figure: Decimal) -> Decimal:
    """A figure as a result holds it: exact when it has at most 34 digits, else rounded to 34.

    Only amounts computed from a policy's own 34-digit figures can be longer (a product has up
    to 68 digits); the comparison that found them was exact, only the figure shown is rounded.
    """
    if len(figure.as_tuple().digits) <= MAX_DIGITS:
        return figure
    return CONTEXT.plus(figure.normalize(_EXACT))


def _capped(amount: Decimal, cap: Decimal | None) -> Decimal:
    return amount if cap is None or amount <= cap else cap
