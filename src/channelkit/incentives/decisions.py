"""Fund decisions (费用审批): approve a request against the allocation, pay a claim at the share.

[`decide_request`][] commits the vendor's share of an activity's planned cost against what is left
of the partner's allocation; [`decide_claim`][] pays the vendor's share of the actual cost, within
what the request was approved for. Every failed check is listed as a coded reason with its
message in English and Chinese: a decision is never silently cut or refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Self

from pydantic import model_validator

from channelkit.errors import ArgumentError, CurrencyMismatchError, expect
from channelkit.incentives import _funds_text as text
from channelkit.incentives._funds_args import on_grid, read_date, read_fund_money, rounded, zero
from channelkit.incentives.funds import Claim, FundProgram, FundRequest
from channelkit.labels import LabeledEnum, check_lang
from channelkit.model import Id, Model, trusted
from channelkit.money import Money, ResultMoney
from channelkit.numeric import ResultDec

__all__ = [
    # outcomes and reasons
    "Decision",
    "RequestReasonCode",
    "RequestReason",
    "ClaimReasonCode",
    "ClaimReason",
    # results
    "RequestDecision",
    "ClaimDecision",
    # calculators
    "decide_request",
    "decide_claim",
]


class Decision(LabeledEnum):
    """The outcome of a request or a claim."""

    APPROVE = "approve", "Approve", "批准"
    PARTIAL = "partial", "Partial", "部分批准"
    REJECT = "reject", "Reject", "驳回"


class RequestReasonCode(LabeledEnum):
    """Which check of [`decide_request`][] failed."""

    ACTIVITY = "activity", "Activity not funded", "活动不在资助范围"
    WINDOW = "window", "Outside the programme's period", "超出项目期间"
    NO_ALLOCATION = "no_allocation", "No allocation", "无分配额度"
    EXHAUSTED = "exhausted", "Allocation exhausted", "额度已用尽"
    PARTIAL = "partial", "Partly approved", "部分批准"
    WRONG_PROGRAM = "wrong_program", "Wrong programme", "项目不符"


class ClaimReasonCode(LabeledEnum):
    """Which check of [`decide_claim`][] failed."""

    LATE = "late", "Submitted late", "逾期提交"
    NO_PROOF = "no_proof", "No proof of performance", "缺少执行证明"
    OVER_APPROVED = "over_approved", "Above what is left approved", "超出批准余额"
    WRONG_PARTNER = "wrong_partner", "Wrong partner", "伙伴不符"
    CURRENCY = "currency", "Wrong currency", "币种不符"
    PARTIAL = "partial", "Partly paid", "部分核准"


class RequestReason(Model):
    """One failed check of a request: its code and its message, in English and Chinese."""

    code: RequestReasonCode
    """The check."""
    message: str
    """What failed, in English, with the figures."""
    message_zh: str = ""
    """The same in Chinese (empty: only the English message is known)."""

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``: the English one when no Chinese one is held."""
        return (self.message_zh or self.message) if check_lang(lang) == "zh" else self.message


class ClaimReason(Model):
    """One failed check of a claim: its code and its message, in English and Chinese."""

    code: ClaimReasonCode
    """The check."""
    message: str
    """What failed, in English, with the figures."""
    message_zh: str = ""
    """The same in Chinese (empty: only the English message is known)."""

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``: the English one when no Chinese one is held."""
        return (self.message_zh or self.message) if check_lang(lang) == "zh" else self.message


_APPROVE, _PARTIAL, _REJECT = Decision.APPROVE, Decision.PARTIAL, Decision.REJECT
_REQUEST_PARTIAL: Final = (RequestReasonCode.PARTIAL,)
_CLAIM_PARTIAL: Final = (ClaimReasonCode.OVER_APPROVED, ClaimReasonCode.PARTIAL)
_BLOCKING: Final = frozenset(ClaimReasonCode) - set(_CLAIM_PARTIAL)
"""LATE, NO_PROOF, WRONG_PARTNER and CURRENCY: the checks that refuse a claim outright."""


class RequestDecision(Model):
    """The decision on a [`FundRequest`][channelkit.incentives.funds.FundRequest].

    APPROVE commits the whole share, PARTIAL (reason PARTIAL) what is left when that is less,
    REJECT nothing, with every failed check as a reason.
    """

    outcome: Decision
    """APPROVE, PARTIAL or REJECT."""
    approved: ResultMoney
    """The amount committed, in the programme's currency (zero for REJECT)."""
    reasons: tuple[RequestReason, ...] = ()
    """Every failed check, in the order of ``RequestReasonCode``."""
    request_id: Id | None = None
    """The request decided."""
    partner_id: Id | None = None
    """The partner that asked."""
    planned_cost: ResultMoney | None = None
    """The activity's planned cost."""
    reimbursement_rate: ResultDec | None = None
    """The programme's share of costs."""
    share: ResultMoney | None = None
    """``planned_cost x reimbursement_rate``, rounded half-up: what the vendor would commit."""
    allocation: ResultMoney | None = None
    """The partner's allocation."""
    committed: ResultMoney | None = None
    """What earlier requests of the partner committed."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        text.check_outcome(
            self.outcome,
            self.approved,
            [r.code for r in self.reasons],
            _REQUEST_PARTIAL,
            self.share,
            {"share": self.share, "allocation": self.allocation, "committed": self.committed},
        )
        return self

    def explain(self, lang: str = "en") -> str:
        """The share, what was left of the allocation, the outcome and every reason.

        Examples
        --------
        >>> from channelkit.periods import Period
        >>> mdf = FundProgram(id="MDF", name="MDF", currency="CNY", period=Period.year(2026),
        ...                   reimbursement_rate="0.8")
        >>> r = FundRequest(id="R1", program_id="MDF", partner_id="P1", activity="display",
        ...                 planned_cost=Money(10_000, "CNY"), start=dt.date(2026, 3, 1),
        ...                 end=dt.date(2026, 3, 31))
        >>> d = decide_request(mdf, r, allocation=Money(10_000, "CNY"),
        ...                    committed=Money(5_000, "CNY"))
        >>> print(d.explain())
        Request R1 of partner P1: Partial, approved 5,000.00 CNY
          vendor's share: 10,000.00 CNY x 80% = 8,000.00 CNY
          left of the allocation: 10,000.00 CNY - 5,000.00 CNY committed = 5,000.00 CNY
          - Partly approved: only 5,000.00 CNY is left of the allocation, less than the share of 8,000.00 CNY
        >>> print(d.explain("zh").splitlines()[0])
        费用申请 R1（伙伴 P1）：部分批准，批准 5,000.00 CNY
        """  # noqa: E501
        rid = f" {self.request_id}" if self.request_id else ""
        pid = self.partner_id
        head = (
            f"Request{rid}" + (f" of partner {pid}" if pid else ""),
            f"费用申请{rid}" + (f"（伙伴 {pid}）" if pid else ""),
        )
        return text.explain_decision(
            lang,
            head,
            self.outcome,
            self.approved,
            (self.planned_cost, self.reimbursement_rate, self.share),
            (
                self.allocation,
                self.committed,
                "  left of the allocation: {a} - {b} committed = {l}",
                "  分配额度剩余：{a} - 已承诺 {b} = {l}",
            ),
            self.reasons,
        )

    def _repr_html_(self) -> str:
        caption = f"Request {self.request_id or ''}".rstrip()
        return text.decision_html(caption, self.outcome, self.approved, self.share, self.reasons)


class ClaimDecision(Model):
    """The decision on a [`Claim`][channelkit.incentives.funds.Claim].

    APPROVE pays the whole share, PARTIAL (OVER_APPROVED, PARTIAL) what is left of the request's
    approval, REJECT nothing, with every failed check as a reason.
    """

    outcome: Decision
    """APPROVE, PARTIAL or REJECT."""
    approved: ResultMoney
    """The amount approved for payment, in the programme's currency (zero for REJECT)."""
    reasons: tuple[ClaimReason, ...] = ()
    """Every failed check, in the order of ``ClaimReasonCode``."""
    claim_id: Id | None = None
    """The claim decided."""
    request_id: Id | None = None
    """The request it claims."""
    amount: ResultMoney | None = None
    """The cost claimed, in the claim's own currency."""
    reimbursement_rate: ResultDec | None = None
    """The programme's share of costs."""
    share: ResultMoney | None = None
    """``amount x reimbursement_rate``, rounded half-up (``None`` for a claim in another
    currency)."""
    request_approved: ResultMoney | None = None
    """What the request was approved for."""
    claimed_before: ResultMoney | None = None
    """What earlier claims on the request were approved for."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        text.check_outcome(
            self.outcome,
            self.approved,
            [r.code for r in self.reasons],
            _CLAIM_PARTIAL,
            self.share,
            {
                "share": self.share,
                "request_approved": self.request_approved,
                "claimed_before": self.claimed_before,
            },
        )
        return self

    def explain(self, lang: str = "en") -> str:
        """The share, what was left of the request's approval, the outcome and every reason.

        Examples
        --------
        >>> from channelkit.periods import Period
        >>> mdf = FundProgram(id="MDF", name="MDF", currency="CNY", period=Period.year(2026),
        ...                   reimbursement_rate="0.8")
        >>> r = FundRequest(id="R1", program_id="MDF", partner_id="P1", activity="display",
        ...                 planned_cost=Money(10_000, "CNY"), start=dt.date(2026, 3, 1),
        ...                 end=dt.date(2026, 3, 31))
        >>> c = Claim(id="C1", request_id="R1", partner_id="P1", amount=Money(7_500, "CNY"),
        ...           submitted=dt.date(2026, 4, 10), proof=("photos.zip",))
        >>> d = decide_claim(mdf, c, r, approved=Money(8_000, "CNY"),
        ...                  claimed_before=Money(3_000, "CNY"), as_of=dt.date(2026, 4, 30))
        >>> print(d.explain())
        Claim C1 on request R1: Partial, approved 5,000.00 CNY
          vendor's share: 7,500.00 CNY x 80% = 6,000.00 CNY
          left of the approval: 8,000.00 CNY - 3,000.00 CNY claimed before = 5,000.00 CNY
          - Above what is left approved: the share of 6,000.00 CNY is above the 5,000.00 CNY left of the 8,000.00 CNY approved (3,000.00 CNY claimed before)
          - Partly paid: paid 5,000.00 CNY of the share of 6,000.00 CNY
        """  # noqa: E501
        cid = f" {self.claim_id}" if self.claim_id else ""
        rid = self.request_id
        head = (
            f"Claim{cid}" + (f" on request {rid}" if rid else ""),
            f"费用核销{cid}" + (f"（申请 {rid}）" if rid else ""),
        )
        return text.explain_decision(
            lang,
            head,
            self.outcome,
            self.approved,
            (self.amount, self.reimbursement_rate, self.share),
            (
                self.request_approved,
                self.claimed_before,
                "  left of the approval: {a} - {b} claimed before = {l}",
                "  批准额剩余：{a} - 此前已核销 {b} = {l}",
            ),
            self.reasons,
        )

    def _repr_html_(self) -> str:
        caption = f"Claim {self.claim_id or ''}".rstrip()
        return text.decision_html(caption, self.outcome, self.approved, self.share, self.reasons)


def _request_reason(code: RequestReasonCode, texts: tuple[str, str]) -> RequestReason:
    return trusted(RequestReason, {"code": code, "message": texts[0], "message_zh": texts[1]})


def _claim_reason(code: ClaimReasonCode, texts: tuple[str, str]) -> ClaimReason:
    return trusted(ClaimReason, {"code": code, "message": texts[0], "message_zh": texts[1]})


def decide_request(
    program: FundProgram, request: FundRequest, *, allocation: Money, committed: Money
) -> RequestDecision:
    r"""Decide a fund request: commit the vendor's share against what is left of the allocation.

    Parameters
    ----------
    program
        The programme: its ``id``, ``activities``, ``period`` and ``reimbursement_rate``.
    request
        The request, its ``planned_cost`` in the programme's currency.
    allocation
        The partner's allocation (see [`allocate_funds`][channelkit.incentives.funds.allocate_funds]),
        >= 0, in the programme's currency.
    committed
        What the partner's earlier requests were approved for, >= 0, in that currency.

    Returns
    -------
    RequestDecision
        The outcome, the amount approved, every failed check, and the figures used.

    Raises
    ------
    CurrencyMismatchError
        ``planned_cost``, ``allocation`` or ``committed`` in another currency.
    ArgumentError
        A negative ``allocation`` or ``committed`` (an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] for an argument of the wrong type).

    Notes
    -----
    $$
    \text{share} = \text{round}(\text{planned cost} \times \text{reimbursement rate}), \quad
    \text{approved} = \min(\text{share},\ \text{allocation} - \text{committed})
    $$

    The checks, each listed as a reason when it fails: ACTIVITY (the activity is not in
    ``activities``; ``None`` funds any), WINDOW (the inclusive days ``start..end`` are not all
    inside the programme's half-open period), NO_ALLOCATION (an allocation of zero), EXHAUSTED
    (an allocation above zero with nothing left: ``allocation - committed <= 0``) and
    WRONG_PROGRAM (``program_id`` is not ``program.id``). Any of them makes the request REJECT
    with zero. Otherwise the share is approved (APPROVE) or, when less is left, what is left
    (PARTIAL, reason PARTIAL, so ``0 < approved < share``). A share of zero is approved as zero.

    Examples
    --------
    >>> from channelkit.periods import Period
    >>> mdf = FundProgram(id="MDF", name="MDF", currency="CNY", period=Period.year(2026),
    ...                   reimbursement_rate="0.8")
    >>> r = FundRequest(id="R1", program_id="MDF", partner_id="P1", activity="display",
    ...                 planned_cost=Money(10_000, "CNY"), start=dt.date(2026, 3, 1),
    ...                 end=dt.date(2026, 3, 31))
    >>> d = decide_request(mdf, r, allocation=Money(10_000, "CNY"), committed=Money(0, "CNY"))
    >>> d.outcome, d.approved  # 10,000 x 80% = 8,000, all of it left
    (<Decision.APPROVE: 'approve'>, Money('8000.00', 'CNY'))
    >>> d = decide_request(mdf, r, allocation=Money(10_000, "CNY"),
    ...                    committed=Money(10_000, "CNY"))
    >>> d.outcome, d.approved, [x.code.value for x in d.reasons]
    (<Decision.REJECT: 'reject'>, Money('0.00', 'CNY'), ['exhausted'])
    """  # noqa: E501
    program = expect(program, FundProgram, "program", "a FundProgram")
    request = expect(request, FundRequest, "request", "a FundRequest")
    cur = program.currency
    if request.planned_cost.currency != cur:
        context = f"planned_cost of request {request.id}"
        raise CurrencyMismatchError(cur, request.planned_cost.currency, context)
    alloc = read_fund_money(allocation, cur, "allocation")
    done = read_fund_money(committed, cur, "committed")
    rate = program.reimbursement_rate
    share = rounded(request.planned_cost * rate)
    left = alloc - done
    code = RequestReasonCode
    reasons: list[RequestReason] = []
    if program.activities is not None and request.activity not in program.activities:
        texts = text.activity(request.activity, program.activities)
        reasons.append(_request_reason(code.ACTIVITY, texts))
    if request.start not in program.period or request.end not in program.period:
        texts = text.window(request.start, request.end, program.period)
        reasons.append(_request_reason(code.WINDOW, texts))
    if not alloc.amount:
        texts = text.no_allocation(request.partner_id, program.id)
        reasons.append(_request_reason(code.NO_ALLOCATION, texts))
    elif left.amount <= 0:
        reasons.append(_request_reason(code.EXHAUSTED, text.exhausted(alloc, done)))
    if request.program_id != program.id:
        texts = text.wrong_program(request.program_id, program.id)
        reasons.append(_request_reason(code.WRONG_PROGRAM, texts))
    if reasons:
        outcome, approved = _REJECT, zero(cur)
    elif share <= left:
        outcome, approved = _APPROVE, share
    else:
        outcome, approved = _PARTIAL, on_grid(left)
        reasons.append(_request_reason(code.PARTIAL, text.partial_request(approved, share)))
    values: dict[str, Any] = {
        "outcome": outcome,
        "approved": approved,
        "reasons": tuple(reasons),
        "request_id": request.id,
        "partner_id": request.partner_id,
        "planned_cost": request.planned_cost,
        "reimbursement_rate": rate,
        "share": share,
        "allocation": alloc,
        "committed": done,
    }
    return trusted(RequestDecision, values)


def decide_claim(
    program: FundProgram,
    claim: Claim,
    request: FundRequest,
    *,
    approved: Money,
    claimed_before: Money,
    as_of: dt.date,
) -> ClaimDecision:
    r"""Decide a claim: pay the vendor's share of the cost, within what is left approved.

    Parameters
    ----------
    program
        The programme: its ``reimbursement_rate``, ``claim_window_days`` and ``proof_required``.
    claim
        The claim, submitted on or before ``as_of`` for ``request``.
    request
        The request the claim is for (``claim.request_id == request.id``).
    approved
        What the request was approved for, >= 0, in the programme's currency.
    claimed_before
        What earlier claims on the request were approved for, from 0 to ``approved``.
    as_of
        The day of the decision.

    Returns
    -------
    ClaimDecision
        The outcome, the amount approved for payment, every failed check, and the figures used.

    Raises
    ------
    ArgumentError
        A claim for another request, one submitted after ``as_of``, a negative ``approved`` or
        ``claimed_before``, or ``claimed_before`` above ``approved`` (an
        [`ArgumentTypeError`][channelkit.ArgumentTypeError] for an argument of the wrong type).
    CurrencyMismatchError
        ``approved`` or ``claimed_before`` in another currency. A *claim* in another currency
        is not raised: it is refused (REJECT, reason CURRENCY, zero in the programme's currency).

    Notes
    -----
    $$
    \text{share} = \text{round}(\text{amount} \times \text{reimbursement rate}), \quad
    \text{paid} = \min(\text{share},\ \text{approved} - \text{claimed before})
    $$

    The checks: LATE (``submitted`` more than ``claim_window_days`` after the request's
    ``end``), NO_PROOF (no proof when the programme requires it), WRONG_PARTNER (the claim's
    partner is not the request's) and CURRENCY each make the claim REJECT with zero;
    OVER_APPROVED (the share is above what is left) cuts it to what is left: PARTIAL
    (OVER_APPROVED, PARTIAL) when something is, REJECT (OVER_APPROVED) when nothing is. Every
    failed check is listed. A share of zero is approved as zero.

    Examples
    --------
    >>> from channelkit.periods import Period
    >>> mdf = FundProgram(id="MDF", name="MDF", currency="CNY", period=Period.year(2026),
    ...                   reimbursement_rate="0.8", claim_window_days=30)
    >>> r = FundRequest(id="R1", program_id="MDF", partner_id="P1", activity="display",
    ...                 planned_cost=Money(10_000, "CNY"), start=dt.date(2026, 3, 1),
    ...                 end=dt.date(2026, 3, 31))
    >>> c = Claim(id="C1", request_id="R1", partner_id="P1", amount=Money(7_500, "CNY"),
    ...           submitted=dt.date(2026, 4, 10), proof=("photos.zip",))
    >>> d = decide_claim(mdf, c, r, approved=Money(8_000, "CNY"),
    ...                  claimed_before=Money(0, "CNY"), as_of=dt.date(2026, 4, 30))
    >>> d.outcome, d.approved  # 7,500 x 80% = 6,000, within the 8,000 approved
    (<Decision.APPROVE: 'approve'>, Money('6000.00', 'CNY'))
    >>> late = c.model_copy(update={"submitted": dt.date(2026, 5, 1), "proof": ()})
    >>> d = decide_claim(mdf, late, r, approved=Money(8_000, "CNY"),
    ...                  claimed_before=Money(0, "CNY"), as_of=dt.date(2026, 5, 31))
    >>> d.outcome, [x.code.value for x in d.reasons]  # 31 days after 31 March
    (<Decision.REJECT: 'reject'>, ['late', 'no_proof'])
    """
    program = expect(program, FundProgram, "program", "a FundProgram")
    claim = expect(claim, Claim, "claim", "a Claim")
    request = expect(request, FundRequest, "request", "a FundRequest")
    day = read_date(as_of, "as_of")
    if claim.request_id != request.id:
        msg = f"claim {claim.id!r} is for request {claim.request_id!r}, not {request.id!r}"
        raise ArgumentError(msg, argument="request", value=request.id)
    if claim.submitted > day:
        msg = f"claim {claim.id!r} was submitted on {claim.submitted}, after as_of {day}"
        raise ArgumentError(msg, argument="as_of", value=day)
    cur = program.currency
    ok = read_fund_money(approved, cur, "approved")
    before = read_fund_money(claimed_before, cur, "claimed_before")
    if before > ok:
        msg = f"claimed_before ({before}) must not be above approved ({ok})"
        raise ArgumentError(msg, argument="claimed_before", value=before)
    left = ok - before
    rate = program.reimbursement_rate
    code = ClaimReasonCode
    reasons: list[ClaimReason] = []
    days = program.claim_window_days
    if (claim.submitted - request.end).days > days:
        reasons.append(_claim_reason(code.LATE, text.late(claim.submitted, request.end, days)))
    if program.proof_required and not claim.proof:
        reasons.append(_claim_reason(code.NO_PROOF, text.no_proof()))
    share = rounded(claim.amount * rate) if claim.amount.currency == cur else None
    if share is not None and share > left:
        reasons.append(_claim_reason(code.OVER_APPROVED, text.over_approved(share, ok, before)))
    if claim.partner_id != request.partner_id:
        texts = text.wrong_partner(claim.partner_id, request.partner_id)
        reasons.append(_claim_reason(code.WRONG_PARTNER, texts))
    if share is None:
        texts = text.currency(claim.amount.currency, cur)
        reasons.append(_claim_reason(code.CURRENCY, texts))
    if share is None or any(r.code in _BLOCKING for r in reasons) or (share > left and not left):
        outcome, paid = _REJECT, zero(cur)
    elif share > left:
        outcome, paid = _PARTIAL, on_grid(left)
        reasons.append(_claim_reason(code.PARTIAL, text.partial_claim(paid, share)))
    else:
        outcome, paid = _APPROVE, share
    values: dict[str, Any] = {
        "outcome": outcome,
        "approved": paid,
        "reasons": tuple(reasons),
        "claim_id": claim.id,
        "request_id": request.id,
        "amount": claim.amount,
        "reimbursement_rate": rate,
        "share": share,
        "request_approved": ok,
        "claimed_before": before,
    }
    return trusted(ClaimDecision, values)
