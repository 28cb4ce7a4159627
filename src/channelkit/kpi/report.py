r"""Every ratio a financial statement allows, in one immutable report (财务比率分析).

[`financial_ratios`][] reads a [`FinancialStatement`][] (and optionally the prior
period's, for average balances and growth) and returns a [`RatioReport`][]: a read-only mapping
from each ratio function's name to its value, or to ``None`` with a note saying why the statement
does not allow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from channelkit.currencies import check_currency
from channelkit.errors import ArgumentError, ArgumentTypeError, CurrencyMismatchError
from channelkit.kpi import _html
from channelkit.kpi._core import positive_days, ratio_form, ratio_label
from channelkit.kpi._statement import REPORT_KEYS, compute_all
from channelkit.labels import LabeledEnum, check_lang, fmt_amount, fmt_pct, pick
from channelkit.numeric import DecimalLike, decimal_text, to_result_decimal
from channelkit.statements import FinancialStatement

__all__ = ["financial_ratios", "RatioReport", "Balances", "REPORT_KEYS"]


class Balances(LabeledEnum):
    """Which balance-sheet figures the flow-over-balance ratios of a report divide by."""

    ENDING = "ending", "Ending balances", "期末余额"
    AVERAGE = "average", "Average balances", "平均余额"


def _num(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


class RatioReport(Mapping[str, Decimal | None]):
    """An immutable mapping from ratio names to values (``None`` when undefined), with notes.

    Keys are the names of the scalar functions of [`channelkit.kpi`][] (``report["quick_ratio"]``);
    [`financial_ratios`][] always gives every key of [`REPORT_KEYS`][]. ``notes`` says why
    each ``None`` is ``None``, and on which basis a ratio with a choice of basis was computed.

    Parameters
    ----------
    values
        Ratio name to exact value or ``None``.
    currency, period_end
        The statement's currency and balance-sheet date.
    partner_id
        The statement's partner, if recorded.
    prior_period_end
        The prior statement's date when one was used.
    balances, days
        The options the ratios were computed with.
    notes, notes_zh
        Ratio name to an English and a Chinese note (``notes_zh`` defaults to ``notes``).

    Raises
    ------
    ArgumentTypeError
        An argument of the wrong type: a value that is not a ``Decimal`` or ``None``, a date
        that is not a ``date``, notes that are not text (a ``TypeError``).
    ArgumentError
        A value that is not finite or out of the bounds of a result (at most 34 digits, an
        exponent within ±10**6), an unknown currency or ``balances``, ``days`` not positive, a
        note for a ratio the report does not hold (a ``ValueError``).

    Examples
    --------
    >>> from channelkit import FinancialStatement
    >>> r = financial_ratios(FinancialStatement(currency="CNY", period_end="2025-12-31",
    ...                                         current_assets=300, current_liabilities=200))
    >>> r["current_ratio"], r["quick_ratio"]
    (Decimal('1.5'), None)
    >>> r.notes["quick_ratio"]
    'the statement lacks inventory'
    """

    __slots__ = (
        "_notes",
        "_notes_zh",
        "_values",
        "balances",
        "currency",
        "days",
        "partner_id",
        "period_end",
        "prior_period_end",
    )

    _values: Mapping[str, Decimal | None]
    _notes: Mapping[str, str]
    _notes_zh: Mapping[str, str]
    balances: Balances
    """Ending or average balances for the flow-over-balance ratios."""
    currency: str
    """The statement's currency (ratios are pure numbers; days are days)."""
    days: Decimal
    """Days in the period of the statement's flows (365 or 360 for a year)."""
    partner_id: str | None
    """The partner the statement belongs to, if recorded."""
    period_end: dt.date
    """The statement's balance-sheet date."""
    prior_period_end: dt.date | None
    """The prior statement's date, when one was given."""

    _repr_html_ = _html.ratio_report

    def __init__(
        self,
        values: Mapping[str, Decimal | None],
        *,
        currency: str,
        period_end: dt.date,
        partner_id: str | None = None,
        prior_period_end: dt.date | None = None,
        balances: Balances | str = Balances.ENDING,
        days: DecimalLike = 365,
        notes: Mapping[str, str] | None = None,
        notes_zh: Mapping[str, str] | None = None,
    ) -> None:
        vals = {key: _ratio_value(key, value) for key, value in _mapping("values", values).items()}
        en = _notes("notes", notes)
        zh = _notes("notes_zh", notes_zh) if notes_zh is not None else dict(en)
        strays = sorted((set(en) | set(zh)) - set(vals))
        if strays:
            msg = f"notes for ratios the report does not hold: {', '.join(strays)}"
            raise ArgumentError(msg, argument="notes", value=strays)
        _set = object.__setattr__
        _set(self, "_values", MappingProxyType(vals))
        _set(self, "_notes", MappingProxyType(en))
        _set(self, "_notes_zh", MappingProxyType(zh))
        _set(self, "currency", _currency(currency))
        _set(self, "period_end", _date("period_end", period_end))
        _set(self, "partner_id", _optional_text("partner_id", partner_id))
        _set(
            self,
            "prior_period_end",
            None if prior_period_end is None else _date("prior_period_end", prior_period_end),
        )
        _set(self, "balances", _balances(balances))
        _set(self, "days", positive_days(days))

    # -- immutability and the mapping protocol ----------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"RatioReport is immutable: cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"RatioReport is immutable: cannot delete {name!r}"
        raise AttributeError(msg)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (dict(self._values), self._options()))

    def _options(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "period_end": self.period_end,
            "partner_id": self.partner_id,
            "prior_period_end": self.prior_period_end,
            "balances": self.balances,
            "days": self.days,
            "notes": dict(self._notes),
            "notes_zh": dict(self._notes_zh),
        }

    def __getitem__(self, key: str) -> Decimal | None:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def _identity(self) -> tuple[Any, ...]:
        return (
            tuple(self._values.items()),
            tuple(sorted(self._notes.items())),
            tuple(sorted(self._notes_zh.items())),
            self.currency,
            self.period_end,
            self.partner_id,
            self.prior_period_end,
            self.balances,
            self.days,
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RatioReport):
            return self._identity() == other._identity()
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        who = f"{self.partner_id!r}, " if self.partner_id is not None else ""
        return (
            f"<RatioReport {who}{self.period_end.isoformat()} {self.currency} "
            f"{self.balances.value}: {dict(self._values)!r}>"
        )

    # -- views ------------------------------------------------------------------------------

    @property
    def notes(self) -> Mapping[str, str]:
        """Ratio name to an English note: why it is ``None``, or on which basis it was computed."""
        return self._notes

    def notes_in(self, lang: str = "en") -> Mapping[str, str]:
        """The notes in ``lang`` (``"en"`` or ``"zh"``)."""
        return self._notes_zh if check_lang(lang) == "zh" else self._notes

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: decimals as plain strings, dates as ISO strings, ``None`` kept.

        Examples
        --------
        >>> import json
        >>> from channelkit import FinancialStatement
        >>> r = financial_ratios(FinancialStatement(currency="CNY", period_end="2025-12-31",
        ...                                         net_sales=1000, cogs=600))
        >>> json.loads(json.dumps(r.to_dict()))["ratios"]["gross_margin"]
        '0.4'
        """
        return {
            "partner_id": self.partner_id,
            "currency": self.currency,
            "period_end": self.period_end.isoformat(),
            "prior_period_end": (
                None if self.prior_period_end is None else self.prior_period_end.isoformat()
            ),
            "balances": self.balances.value,
            "days": decimal_text(self.days),
            "ratios": {key: _num(value) for key, value in self._values.items()},
            "notes": dict(self._notes),
            "notes_zh": dict(self._notes_zh),
        }

    def explain(self, lang: str = "en") -> str:
        """Every ratio with its name, value (or why it has none) and note, in ``lang``.

        Examples
        --------
        >>> from channelkit import FinancialStatement
        >>> r = financial_ratios(FinancialStatement(currency="CNY", period_end="2025-12-31",
        ...                                         current_assets=300, current_liabilities=200))
        >>> print(r.explain("zh").splitlines()[1])
          流动比率：1.50
        """
        check_lang(lang)
        basis = self.balances.label(lang)
        days = decimal_text(self.days)
        if lang == "en":
            who = f" of {self.partner_id}" if self.partner_id is not None else ""
            head = (
                f"Financial ratios{who} at {self.period_end.isoformat()} "
                f"({self.currency}; {basis.lower()}; {days}-day period)"
            )
        else:
            who = f"{self.partner_id} " if self.partner_id is not None else ""
            head = (
                f"{who}{self.period_end.isoformat()} 财务比率"
                f"（{self.currency}；{basis}；期间 {days} 天）"
            )
        lines = [head]
        notes = self.notes_in(lang)
        for key, value in self._values.items():
            label = _label(key, lang)
            text = pick(lang, "n/a", "无法计算") if value is None else _show(key, value, lang)
            note = notes.get(key)
            tail = "" if note is None else pick(lang, f" ({note})", f"（{note}）")
            lines.append(f"  {label}{pick(lang, ': ', '：')}{text}{tail}")
        return "\n".join(lines)


def _restore(values: dict[str, Decimal | None], options: dict[str, Any]) -> RatioReport:
    """Rebuild a pickled [`RatioReport`][]."""
    return RatioReport(values, **options)


def _label(key: str, lang: str) -> str:
    try:
        return ratio_label(key, lang)
    except ArgumentError as err:  # a key that names no ratio is shown as it is
        if err.argument != "name":
            raise
        return key


def _show(key: str, value: Decimal, lang: str) -> str:
    """A value for display, by its ratio's form: a percentage, days or a number, rounded.

    A value too large to round in 34 digits (a tiny denominator's) keeps its scientific form.
    """
    form = ratio_form(key)
    if form == "percent":
        return fmt_pct(value)
    if form == "days":
        return f"{fmt_amount(value, 1)}{pick(lang, ' days', ' 天')}"
    return fmt_amount(value, 2)


def _mapping(name: str, value: object) -> dict[Any, Any]:
    if not isinstance(value, Mapping):
        msg = f"{name} must be a mapping, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    return dict(value)


def _ratio_value(key: object, value: object) -> Decimal | None:
    """A report's value: ``None`` or a ``Decimal`` within the bounds of a result."""
    if not isinstance(key, str):
        msg = f"ratio names must be str, got {type(key).__name__}"
        raise ArgumentTypeError(msg, argument="values", value=key)
    if value is None:
        return None
    if not isinstance(value, Decimal):
        msg = f"ratio {key!r:.60} must be a Decimal or None, got {type(value).__name__}"
        raise ArgumentTypeError(msg, argument="values", value=value)
    return to_result_decimal(value, key)


def _notes(name: str, notes: object) -> dict[str, str]:
    out = _mapping(name, {} if notes is None else notes)
    for key, text in out.items():
        if not isinstance(key, str) or not isinstance(text, str):
            msg = (
                f"{name} must map ratio names to text, got "
                f"{type(key).__name__}: {type(text).__name__}"
            )
            raise ArgumentTypeError(msg, argument=name, value=notes)
    return out


def _currency(currency: object) -> str:
    if not isinstance(currency, str):
        msg = f"currency must be an ISO 4217 code (a str), not {type(currency).__name__}"
        raise ArgumentTypeError(msg, argument="currency", value=currency)
    try:
        return check_currency(currency)
    except ValueError as err:
        raise ArgumentError(str(err), argument="currency", value=currency) from None


def _date(name: str, value: object) -> dt.date:
    if not isinstance(value, dt.date):
        msg = f"{name} must be a date, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    return value


def _optional_text(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        msg = f"{name} must be a str or None, not {type(value).__name__}"
        raise ArgumentTypeError(msg, argument=name, value=value)
    return value


_Note = tuple[str, str]


def financial_ratios(
    statement: FinancialStatement,
    *,
    prior: FinancialStatement | None = None,
    days: DecimalLike = 365,
    balances: Balances | str = Balances.ENDING,
) -> RatioReport:
    r"""Every ratio ``statement`` allows, as a [`RatioReport`][] (财务比率分析).

    Parameters
    ----------
    statement
        The partner's statement: balances at ``period_end`` and the flows of the period ending
        there.
    prior
        The statement of the previous period (same currency, earlier ``period_end``): the
        opening balances for ``balances=AVERAGE``, and the base of ``growth_rate`` (net sales
        growth).
    days
        Days in the period of the flows, for the days-outstanding ratios: 365 (default) or 360
        for a year, 90 or 91 for a quarter.
    balances
        ``ENDING`` (default, the domain brief's definitions): every ratio divides by the
        balances at ``period_end``. ``AVERAGE``: ratios of a flow over a balance (returns,
        turnovers, days outstanding) divide by the average of the prior and the current
        balance; point-in-time ratios (liquidity, leverage) keep the ending balances.

    Returns
    -------
    RatioReport
        One entry per name of [`REPORT_KEYS`][]: the value, or ``None`` with a note.

    Raises
    ------
    ArgumentError
        ``balances=AVERAGE`` without ``prior``; ``prior`` not earlier than ``statement`` or of
        another partner; ``days`` not positive; an unknown ``balances`` (a ``ValueError``).
    ArgumentTypeError
        ``statement`` or ``prior`` is not a [`FinancialStatement`][] (a ``TypeError``).
    CurrencyMismatchError
        ``prior`` is in another currency.

    Notes
    -----
    Each ratio is the scalar function of the same name applied to the statement's fields
    (``current_ratio(current_assets, current_liabilities)``...). In the report
    ``inventory_turnover`` is sales-based, $\text{net sales} / \text{inventory}$, as the
    domain brief defines it, while ``days_inventory_outstanding`` is COGS-based,
    $\text{inventory} / \text{COGS} \times \text{days}$, as is standard; the notes say so.
    ``cash_ratio`` counts ``short_term_investments`` when stated (else cash only, noted);
    ``expense_profit_ratio`` uses ``net_income``; ``growth_rate`` is the growth of net sales
    over ``prior``; ``cash_conversion_cycle`` combines the three days ratios.

    A ratio is ``None`` when the statement (or, for an average, the prior) lacks a figure it
    needs, or when its denominator is 0 or negative; the note names the figure.

    Examples
    --------
    Apple, fiscal 2023 10-K ($ millions):

    >>> from channelkit import FinancialStatement
    >>> fy23 = FinancialStatement(currency="USD", period_end="2023-09-30",
    ...     current_assets=143_566, inventory=6_331, current_liabilities=145_308)
    >>> r = financial_ratios(fy23)
    >>> r["quick_ratio"].quantize(Decimal("0.01")), r["debt_ratio"]
    (Decimal('0.94'), None)
    >>> r.notes["debt_ratio"]
    'the statement lacks total_liabilities, total_assets'
    """
    if not isinstance(statement, FinancialStatement):
        msg = f"statement must be a FinancialStatement, not {type(statement).__name__}"
        raise ArgumentTypeError(msg, argument="statement", value=statement)
    mode = _balances(balances)
    d = positive_days(days)
    if prior is not None:
        _check_prior(statement, prior)
    elif mode is Balances.AVERAGE:
        msg = (
            "balances=AVERAGE needs the prior statement for the opening balances: "
            "pass prior=..., or use balances=ENDING"
        )
        raise ArgumentError(msg, argument="prior", value=None)
    opening = prior if mode is Balances.AVERAGE else None
    values, notes = compute_all(statement, prior, opening, d)
    return RatioReport(
        values,
        currency=statement.currency,
        period_end=statement.period_end,
        partner_id=statement.partner_id,
        prior_period_end=None if prior is None else prior.period_end,
        balances=mode,
        days=d,
        notes={k: en for k, (en, _) in notes.items()},
        notes_zh={k: zh for k, (_, zh) in notes.items()},
    )


def _balances(balances: object) -> Balances:
    try:
        return Balances(balances)  # type: ignore[arg-type]
    except ValueError:
        got = f"{balances!r:.40}" if isinstance(balances, str) else type(balances).__name__
        msg = f"balances must be one of {[b.value for b in Balances]}, got {got}"
        raise ArgumentError(msg, argument="balances", value=balances) from None


def _check_prior(statement: FinancialStatement, prior: FinancialStatement) -> None:
    if not isinstance(prior, FinancialStatement):
        msg = f"prior must be a FinancialStatement or None, not {type(prior).__name__}"
        raise ArgumentTypeError(msg, argument="prior", value=prior)
    if prior.currency != statement.currency:
        raise CurrencyMismatchError(statement.currency, prior.currency, "prior statement")
    if prior.period_end >= statement.period_end:
        msg = (
            f"prior.period_end ({prior.period_end}) must be before statement.period_end "
            f"({statement.period_end})"
        )
        raise ArgumentError(msg, argument="prior", value=prior.period_end)
    if None not in (prior.partner_id, statement.partner_id) and (
        prior.partner_id != statement.partner_id
    ):
        msg = (
            f"prior.partner_id ({prior.partner_id!r}) differs from statement.partner_id "
            f"({statement.partner_id!r})"
        )
        raise ArgumentError(msg, argument="prior", value=prior.partner_id)
