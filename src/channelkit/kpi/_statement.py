"""How [`financial_ratios`][] computes each ratio from a statement (private)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from channelkit.kpi._core import ratio_label
from channelkit.kpi.activity import (
    asset_turnover,
    cycle,
    days_inventory_outstanding,
    days_payables_outstanding,
    days_sales_outstanding,
    inventory_turnover,
    receivables_turnover,
)
from channelkit.kpi.balance import (
    average,
    cash_ratio,
    current_ratio,
    debt_ratio,
    debt_to_equity,
    quick_ratio,
)
from channelkit.kpi.channel import growth_rate
from channelkit.kpi.profitability import (
    expense_profit_ratio,
    gross_margin,
    net_margin,
    return_on_assets,
    return_on_equity,
)
from channelkit.money import Money
from channelkit.numeric import decimal_text
from channelkit.statements import FinancialStatement

__all__ = ["DAYS_KEYS", "REPORT_KEYS", "Note", "compute_all"]

Note = tuple[str, str]
"""A note in English and in Chinese."""

_FIELDS_ZH: Final = {
    "net_sales": "净销售额",
    "cogs": "销售成本",
    "net_income": "净利润",
    "expenses": "费用总额",
    "cash": "现金",
    "receivables": "应收账款",
    "inventory": "存货",
    "current_assets": "流动资产",
    "total_assets": "总资产",
    "accounts_payable": "应付账款",
    "current_liabilities": "流动负债",
    "total_liabilities": "总负债",
    "equity": "净资产",
}


@dataclass(frozen=True, slots=True)
class _Spec:
    """How a report computes one ratio from a statement: with the function of its name."""

    function: Callable[..., Decimal]
    fields: tuple[str, ...]  # statement fields, in the order of the function's arguments
    denominator: str
    averaged: frozenset[str] = frozenset()  # fields averaged with the prior under AVERAGE
    days: bool = False

    @property
    def key(self) -> str:
        """The report key: the function's name."""
        return self.function.__name__


_SPECS: Final = (
    _Spec(current_ratio, ("current_assets", "current_liabilities"), "current_liabilities"),
    _Spec(
        quick_ratio,
        ("current_assets", "inventory", "current_liabilities"),
        "current_liabilities",
    ),
    _Spec(cash_ratio, ("cash", "current_liabilities"), "current_liabilities"),
    _Spec(debt_to_equity, ("total_liabilities", "equity"), "equity"),
    _Spec(debt_ratio, ("total_liabilities", "total_assets"), "total_assets"),
    _Spec(gross_margin, ("net_sales", "cogs"), "net_sales"),
    _Spec(net_margin, ("net_income", "net_sales"), "net_sales"),
    _Spec(
        return_on_assets,
        ("net_income", "total_assets"),
        "total_assets",
        frozenset({"total_assets"}),
    ),
    _Spec(return_on_equity, ("net_income", "equity"), "equity", frozenset({"equity"})),
    _Spec(expense_profit_ratio, ("net_income", "expenses"), "expenses"),
    _Spec(
        asset_turnover, ("net_sales", "total_assets"), "total_assets", frozenset({"total_assets"})
    ),
    _Spec(inventory_turnover, ("net_sales", "inventory"), "inventory", frozenset({"inventory"})),
    _Spec(
        receivables_turnover,
        ("net_sales", "receivables"),
        "receivables",
        frozenset({"receivables"}),
    ),
    _Spec(
        days_sales_outstanding,
        ("receivables", "net_sales"),
        "net_sales",
        frozenset({"receivables"}),
        days=True,
    ),
    _Spec(
        days_inventory_outstanding,
        ("inventory", "cogs"),
        "cogs",
        frozenset({"inventory"}),
        days=True,
    ),
    _Spec(
        days_payables_outstanding,
        ("accounts_payable", "cogs"),
        "cogs",
        frozenset({"accounts_payable"}),
        days=True,
    ),
)

DAYS_KEYS: Final = (
    "days_inventory_outstanding",
    "days_sales_outstanding",
    "days_payables_outstanding",
)
"""The days ratios, in the order of the arguments of `cash_conversion_cycle` (DIO, DSO, DPO)."""

REPORT_KEYS: Final = (*(s.key for s in _SPECS), "cash_conversion_cycle", "growth_rate")
"""The keys of every [`RatioReport`][] that [`financial_ratios`][] builds, in order."""


_BASIS: Final = {
    "inventory_turnover": (
        "sales-based: net sales / inventory, as the domain brief defines it "
        "(for the COGS-based figure call inventory_turnover(cogs, inventory))",
        "按销售额计算：净销售额 / 存货（领域定义）；按销售成本计算请调用 "
        "inventory_turnover(cogs, inventory)",
    ),
    "days_inventory_outstanding": (
        "COGS-based: inventory / COGS x days, the standard basis",
        "按销售成本计算：存货 / 销售成本 × 天数（通行口径）",
    ),
}
_NO_STI: Final = (
    "short_term_investments not stated: counted as 0 (cash only)",
    "未列示短期投资：按 0 计（仅现金）",
)


def _zh(name: str) -> str:
    return f"{_FIELDS_ZH.get(name, name)}（{name}）"


def compute_all(
    statement: FinancialStatement,
    prior: FinancialStatement | None,
    opening: FinancialStatement | None,
    days: Decimal,
) -> tuple[dict[str, Decimal | None], dict[str, Note]]:
    """Every ratio of [`REPORT_KEYS`][] and the notes, with ``opening`` for averages."""
    d = days
    values: dict[str, Decimal | None] = {}
    notes: dict[str, Note] = {}
    for spec in _SPECS:
        value, note = _compute(spec, statement, opening, d)
        values[spec.key] = value
        basis = _BASIS.get(spec.key)
        if spec.function is cash_ratio and statement.short_term_investments is None:
            basis = _NO_STI
        merged = _merge(basis, note)
        if merged is not None:
            notes[spec.key] = merged
    values["cash_conversion_cycle"], ccc_note = _ccc(values)
    if ccc_note is not None:
        notes["cash_conversion_cycle"] = ccc_note
    values["growth_rate"], growth_note = _growth(statement, prior)
    if growth_note is not None:
        notes["growth_rate"] = growth_note
    return values, notes


def _lacks(fields: list[str], where_en: str, where_zh: str) -> Note:
    return (
        f"{where_en} lacks {', '.join(fields)}",
        f"{where_zh}缺少{'、'.join(_zh(f) for f in fields)}",
    )


def _not_positive(name_en: str, name_zh: str, value: Decimal) -> Note:
    if not value:
        return f"{name_en} is 0", f"{name_zh}为 0"
    text = decimal_text(value)
    return f"{name_en} is negative ({text})", f"{name_zh}为负数（{text}）"


def _compute(
    spec: _Spec,
    statement: FinancialStatement,
    opening: FinancialStatement | None,
    days: Decimal,
) -> tuple[Decimal | None, Note | None]:
    lacking = [f for f in spec.fields if getattr(statement, f) is None]
    if lacking:
        return None, _lacks(lacking, "the statement", "报表")
    # The figures go in as Money of the statement's currency (what they are): a ratio reads
    # Money as already read, so an average below the input bounds (half of 1E-34) still counts.
    currency = statement.currency
    args: list[Money] = []
    for f in spec.fields:
        value = Money._make(getattr(statement, f), currency)
        if opening is not None and f in spec.averaged:
            start: Decimal | None = getattr(opening, f)
            if start is None:
                en, zh = _lacks([f], "the prior statement", "上期报表")
                return None, (f"{en} (for the average balance)", f"{zh}（无法计算平均余额）")
            value = average(Money._make(start, currency), value)
        args.append(value)
    den = args[spec.fields.index(spec.denominator)].amount
    if den <= 0:
        avg = opening is not None and spec.denominator in spec.averaged
        name_en = f"average {spec.denominator}" if avg else spec.denominator
        name_zh = ("平均" if avg else "") + _zh(spec.denominator)
        return None, _not_positive(name_en, name_zh, den)
    kw: dict[str, Decimal | Money] = {"days": days} if spec.days else {}
    sti = statement.short_term_investments
    if spec.function is cash_ratio and sti is not None:
        kw["short_term_investments"] = Money._make(sti, currency)
    return spec.function(*args, **kw), None


def _merge(basis: Note | None, reason: Note | None) -> Note | None:
    if basis is None or reason is None:
        return basis or reason
    return f"{basis[0]}; {reason[0]}", f"{basis[1]}；{reason[1]}"


def _ccc(values: Mapping[str, Decimal | None]) -> tuple[Decimal | None, Note | None]:
    dio, dso, dpo = (values[k] for k in DAYS_KEYS)
    if dio is None or dso is None or dpo is None:
        missing = [k for k in DAYS_KEYS if values[k] is None]
        return None, (
            f"needs {', '.join(missing)}, which the statement does not allow",
            f"需要{'、'.join(ratio_label(k, 'zh') for k in missing)}，但报表无法计算",
        )
    return cycle(dio, dso, dpo), None


def _growth(
    statement: FinancialStatement, prior: FinancialStatement | None
) -> tuple[Decimal | None, Note | None]:
    if prior is None:
        return None, (
            "net sales growth needs the prior statement (prior=...)",
            "净销售额增长率需要上期报表（prior=...）",
        )
    if statement.net_sales is None:
        return None, _lacks(["net_sales"], "the statement", "报表")
    if prior.net_sales is None:
        return None, _lacks(["net_sales"], "the prior statement", "上期报表")
    if prior.net_sales <= 0:
        return None, _not_positive("prior net_sales", f"上期{_zh('net_sales')}", prior.net_sales)
    return growth_rate(statement.net_sales, prior.net_sales), None
