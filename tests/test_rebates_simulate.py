"""simulate: hand-worked rows and diffs, refusals, tables, and properties against compute_rebate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelkit import (
    ArgumentError,
    ArgumentTypeError,
    Bracket,
    Condition,
    CurrencyMismatchError,
    FrameError,
    Money,
    PartnerDiff,
    PolicyError,
    RebatePolicy,
    Simulation,
    SimulationRow,
    compute_rebate,
    simulate,
)
from channelkit.numeric import CONTEXT
from channelkit.testing import amounts, partner_diffs, simulation_rows, simulations

pa = pytest.importorskip("pyarrow")

D = Decimal
LADDER = RebatePolicy(
    id="LADDER",
    name="Ladder",
    currency="CNY",
    brackets=(Bracket(start=10_000, rate="0.02"), Bracket(start=50_000, rate="0.03")),
)


def variant(p: RebatePolicy, **kw: object) -> RebatePolicy:
    """``p`` with fields changed, validated."""
    return RebatePolicy.model_validate({**p.model_dump(), **kw})


VOLUME = variant(LADDER, id="VOLUME", mode="volume")
BASES = {"D1": D(8_000), "D2": D(40_000), "D3": D(120_000)}
GROWTH = (D(0), D("0.25"))


def cny(amount: object) -> Money:
    return Money(amount, "CNY")  # type: ignore[arg-type]


def sim() -> Simulation:
    return simulate({"graduated": LADDER, "volume": VOLUME}, BASES, growth=GROWTH)


# -- rows ----------------------------------------------------------------------------------------


def test_rows_are_policy_major_with_hand_worked_totals() -> None:
    rows = sim().rows
    # graduated at 0%: D1 8,000 < 10,000 -> 0; D2 (40,000 - 10,000) x 2% = 600;
    #   D3 40,000 x 2% + 70,000 x 3% = 800 + 2,100 = 2,900; total 3,500 on 168,000
    # graduated at +25%: bases 10,000 / 50,000 / 150,000 (total 210,000): D1 reaches the first
    #   start with a slice of 0 -> 0; D2 40,000 x 2% = 800; D3 800 + 100,000 x 3% = 3,800
    # volume at 0%: 0; 40,000 x 2% = 800; 120,000 x 3% = 3,600; total 4,400
    # volume at +25%: 10,000 x 2% = 200; 50,000 x 3% = 1,500; 150,000 x 3% = 4,500; 6,200
    assert [
        (r.policy_id, r.growth, r.basis, r.total, r.partners_paid, r.min, r.max) for r in rows
    ] == [
        ("graduated", D(0), D(168_000), cny(3_500), 2, cny(0), cny(2_900)),
        ("graduated", D("0.25"), D(210_000), cny(4_600), 2, cny(0), cny(3_800)),
        ("volume", D(0), D(168_000), cny(4_400), 2, cny(0), cny(3_600)),
        ("volume", D("0.25"), D(210_000), cny(6_200), 3, cny(200), cny(4_500)),
    ]
    assert rows[0].cost_rate == CONTEXT.divide(D(3_500), D(168_000))  # 2.08%
    assert all(r.partners == 3 for r in rows)
    assert str(rows[1].total.amount) == "4600.00"  # at the minor unit


def test_total_is_the_sum_of_rounded_amounts() -> None:
    p = RebatePolicy(
        id="P", name="P", currency="CNY", mode="flat", brackets=(Bracket(start=0, rate="0.015"),)
    )
    # 1.00 x 1.5% = 0.015 -> 0.02 each (half up): 3 x 0.02 = 0.06, not round(0.045) = 0.05
    row = simulate({"P": p}, {"A": D("1.00"), "B": D("1.00"), "C": D("1.00")}).rows[0]
    assert row.total == cny("0.06")


def test_zero_places_currency_and_units() -> None:
    p = RebatePolicy(
        id="U",
        name="U",
        currency="JPY",
        basis="units",
        brackets=(Bracket(start=0, rate="12.5"),),
    )
    row = simulate({"U": p}, {"A": 3, "B": 4}).rows[0]
    # 3 x 12.5 = 37.5 -> 38; 4 x 12.5 = 50: 88 JPY on 7 units
    assert row.total == Money(88, "JPY")
    assert row.cost_rate == CONTEXT.divide(D(88), D(7))
    assert row.explain() == (
        "U at growth 0%: 88 JPY on a basis of 7 (cost rate 13 JPY/unit); 2 of 2 partners "
        "paid, least 38, most 50"
    )
    assert "件" in row.explain("zh")


def test_no_partners_and_a_fall_of_100_percent() -> None:
    s = simulate({"graduated": LADDER}, {}, growth=(D(0), D(-1)))
    row = s.rows[0]
    assert (row.partners, row.total, row.partners_paid, row.min, row.max, row.cost_rate) == (
        0,
        cny("0.00"),
        0,
        None,
        None,
        D(0),
    )
    assert row.explain().endswith("no partner")
    assert row.explain("zh").endswith("无伙伴")
    gone = simulate({"graduated": LADDER}, BASES, growth=(D(-1),)).rows[0]
    assert (gone.basis, gone.total, gone.partners_paid) == (D(0), cny(0), 0)


def test_explanations() -> None:
    s = sim()
    assert s.explain().splitlines() == [
        "Simulation of 2 policies over 3 partners at growth 0%, +25%",
        "  graduated at growth 0%: 3,500.00 CNY on a basis of 168,000.00 (cost rate 2.08%); "
        "2 of 3 partners paid, least 0.00, most 2,900.00",
        "  graduated at growth +25%: 4,600.00 CNY on a basis of 210,000.00 (cost rate 2.19%); "
        "2 of 3 partners paid, least 0.00, most 3,800.00",
        "  volume at growth 0%: 4,400.00 CNY on a basis of 168,000.00 (cost rate 2.62%); "
        "2 of 3 partners paid, least 0.00, most 3,600.00",
        "  volume at growth +25%: 6,200.00 CNY on a basis of 210,000.00 (cost rate 2.95%); "
        "3 of 3 partners paid, least 200.00, most 4,500.00",
    ]
    assert s.explain("zh").splitlines()[:2] == [
        "返利测算：2 项政策，3 个伙伴，增长 0%、+25%",
        "  graduated（增长 0%）：返利合计 3,500.00 CNY，基数 168,000.00（返利费用率 2.08%）；"
        "3 个伙伴中 2 个获返利，最低 0.00，最高 2,900.00",
    ]
    down = simulate({"graduated": LADDER}, BASES, growth=(D("-0.1"),))
    assert "at growth -10%" in down.explain()


# -- diff ------------------------------------------------------------------------------------------


def test_diff_sorted_by_change_then_id() -> None:
    s = sim()
    # at 0%: D1 0 -> 0 (0); D2 600 -> 800 (+200); D3 2,900 -> 3,600 (+700)
    assert [
        (d.partner_id, d.amount_a, d.amount_b, d.change) for d in s.diff("graduated", "volume")
    ] == [
        ("D1", cny(0), cny(0), cny(0)),
        ("D2", cny(600), cny(800), cny(200)),
        ("D3", cny(2_900), cny(3_600), cny(700)),
    ]
    # at +25%: D1 0 -> 200; D2 800 -> 1,500 (+700); D3 3,800 -> 4,500 (+700): the tie by id
    at = s.diff("graduated", "volume", D("0.25"))
    assert [(d.partner_id, d.basis, d.change.amount) for d in at] == [
        ("D1", D(10_000), D(200)),
        ("D2", D(50_000), D(700)),
        ("D3", D(150_000), D(700)),
    ]
    back = s.diff("volume", "graduated", "0.25")
    assert [d.partner_id for d in back] == ["D2", "D3", "D1"]  # -700, -700, -200
    assert at[0].explain() == "D1 on a basis of 10,000: 0.00 -> 200.00 CNY (change +200.00)"
    assert back[0].explain("zh") == "D2（基数 50,000）：1,500.00 -> 800.00 CNY（变化 -700.00）"


def test_row_and_diff_arguments() -> None:
    s = sim()
    assert s.row("volume", "0.25").total == cny(6_200)
    assert s.row("volume") is s.rows[2]
    with pytest.raises(ArgumentError, match=r"a must be the id of a simulated policy .* 'nope'"):
        s.diff("nope", "volume")
    with pytest.raises(ArgumentError, match="b must be the id"):
        s.diff("volume", 3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"growth must be one of .*\(0, 0.25\), got 0.5"):
        s.diff("volume", "graduated", D("0.5"))
    with pytest.raises(ArgumentError, match="policy_id must be the id"):
        s.row("x")
    odd = s.model_copy(update={"rows": ()})
    with pytest.raises(ArgumentError, match="no row for policy 'volume' at growth 0"):
        odd.row("volume")
    with pytest.raises(ArgumentError, match="holds no growth factor"):
        s.model_copy(update={"growth": ()}).diff("volume", "graduated")
    usd = s.model_copy(update={"policies": {**s.policies, "usd": variant(VOLUME, currency="USD")}})
    with pytest.raises(CurrencyMismatchError):
        usd.diff("volume", "usd")


def test_json_round_trip_keeps_diff() -> None:
    s = sim()
    back = Simulation.model_validate_json(s.model_dump_json())
    assert back == s
    assert back.diff("graduated", "volume", D("0.25")) == s.diff("graduated", "volume", D("0.25"))


# -- refusals ------------------------------------------------------------------------------------


def test_policies_that_need_more_than_a_basis() -> None:
    cases = {
        "conditions": variant(LADDER, conditions=(Condition(metric="growth", minimum=0),)),
        "incremental basis": variant(LADDER, basis="incremental"),
        "tier_basis": variant(VOLUME, tier_basis="units"),
        "per transaction": variant(LADDER, per="transaction"),
    }
    for why, p in cases.items():
        with pytest.raises(PolicyError, match="simulate reads one basis per partner") as info:
            simulate({"p": p}, BASES)
        assert info.value.policy == p.id, why


def test_policies_must_share_a_currency_and_a_kind_of_basis() -> None:
    usd = variant(LADDER, currency="USD")
    with pytest.raises(CurrencyMismatchError, match=r"\(policies\['b'\]\): expected CNY, got USD"):
        simulate({"a": LADDER, "b": usd}, BASES)
    units = variant(LADDER, id="U", basis="units")
    with pytest.raises(PolicyError, match="all money or all units"):
        simulate({"a": LADDER, "b": units}, BASES)


def test_policy_arguments() -> None:
    with pytest.raises(ArgumentTypeError, match="policies must be a mapping"):
        simulate([LADDER], BASES)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="at least one policy"):
        simulate({}, BASES)
    with pytest.raises(ArgumentTypeError, match="non-blank str ids, got ' '"):
        simulate({" ": LADDER}, BASES)
    with pytest.raises(ArgumentTypeError, match=r"policies\['a'\] must be a RebatePolicy"):
        simulate({"a": "LADDER"}, BASES)  # type: ignore[dict-item]


def test_bases_arguments() -> None:
    with pytest.raises(ArgumentTypeError, match=r"bases\['D1'\] must not be a float"):
        simulate({"a": LADDER}, {"D1": 1.5})  # type: ignore[dict-item]
    with pytest.raises(ArgumentError, match=r"bases\['D1'\] is not a number"):
        simulate({"a": LADDER}, {"D1": "lots"})
    with pytest.raises(ArgumentError, match=r"bases\['D1'\] is too large"):
        simulate({"a": LADDER}, {"D1": D("1E+15")})
    with pytest.raises(ArgumentTypeError, match="non-blank str partner ids, got 7"):
        simulate({"a": LADDER}, {7: 1})  # type: ignore[dict-item]
    with pytest.raises(ArgumentTypeError, match="bases must be a mapping"):
        simulate({"a": LADDER}, [1, 2])  # type: ignore[arg-type]
    # plain numbers of every kind, a -0 read as 0
    s = simulate({"a": LADDER}, {"A": 60_000, "B": "60000", "C": D("-0")})
    assert list(s.bases.values()) == [D(60_000), D(60_000), D(0)]
    assert str(s.bases["C"]) == "0"


def test_negative_bases_need_allow_negative() -> None:
    with pytest.raises(PolicyError, match=r"bases\['D2'\] is below zero \(-500\)") as info:
        simulate({"a": LADDER}, {"D1": 1, "D2": -500, "D3": -1})
    assert info.value.policy == "LADDER"
    # a fall of 100% takes every basis to 0, negative ones too
    assert simulate({"a": LADDER}, {"D1": -500}, growth=(D(-1),)).rows[0].total == cny(0)
    refund = RebatePolicy(
        id="R",
        name="R",
        currency="CNY",
        allow_negative=True,
        brackets=(Bracket(start=0, rate="0.02"),),
    )
    row = simulate({"r": refund}, {"D1": -500, "D2": 1_000, "D3": 0}).rows[0]
    # -500 x 2% = -10 (paid back), 1,000 x 2% = 20, 0
    assert (row.total, row.partners_paid, row.min, row.max) == (cny(10), 1, cny(-10), cny(20))
    assert row.min == compute_rebate(refund, -500).amount


def test_growth_arguments() -> None:
    for bad, error, match in [
        ("0.1", ArgumentTypeError, "growth must be a sequence"),
        (D("0.1"), ArgumentTypeError, "growth must be a sequence"),
        ((), ArgumentError, "at least one growth factor"),
        ((D("-1.5"),), ArgumentError, r"growth\[0\] must be at least -1"),
        ((D("0.1"), D("0.10")), ArgumentError, r"growth\[1\] repeats growth\[0\] \(0.1\)"),
        ((0.1,), ArgumentTypeError, r"growth\[0\] must not be a float"),
        ((D("1E-34"),), ArgumentError, r"growth\[0\] has too many digits"),
    ]:
        with pytest.raises(error, match=match):
            simulate({"a": LADDER}, BASES, growth=bad)  # type: ignore[arg-type]
    assert simulate({"a": LADDER}, BASES, growth=[D("-0")]).growth == (D(0),)


def test_grown_bases_stay_exact_or_are_refused() -> None:
    with pytest.raises(ArgumentError, match=r"bases\['D1'\] grown by growth\[1\] \(1\) is 1\.8E"):
        simulate({"a": LADDER}, {"D1": D("9E+14")}, growth=(D(0), D(1)))
    many = D("1.234567890123456789012345678901234")  # 34 digits: x 1.001 needs 37
    with pytest.raises(ArgumentError, match=r"at most 34 significant digits"):
        simulate({"a": LADDER}, {"D1": many}, growth=(D("0.001"),))
    # 34 digits x 1.5 has 36 digits, the last ones zeros: exactly 1.5, kept
    one = D("1." + "0" * 33)
    s = simulate({"a": LADDER}, {"D1": one}, growth=(D("0.5"),))
    assert s.rows[0].basis == D("1.5")


# -- tables ----------------------------------------------------------------------------------------


def test_a_table_gives_the_mapping_simulation() -> None:
    table = pa.table(
        {
            "partner_id": ["D1", "D2", "D3"],
            "basis": pa.array([D(8_000), D(40_000), D(120_000)], pa.decimal128(12, 2)),
        }
    )
    assert simulate({"graduated": LADDER, "volume": VOLUME}, table, growth=GROWTH) == sim()
    ints = pa.table({"partner_id": ["D1", "D2", "D3"], "basis": [8_000, 40_000, 120_000]})
    assert simulate({"graduated": LADDER, "volume": VOLUME}, ints, growth=GROWTH) == sim()
    texts = pa.table(
        {
            "partner_id": pa.array(["D1", "D2", "D3"]).dictionary_encode(),
            "basis": pa.array(["8000", " 40_000", "1.2E+5"], pa.large_string()),
        }
    )
    assert simulate({"graduated": LADDER, "volume": VOLUME}, texts, growth=GROWTH) == sim()
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches())
    assert simulate({"graduated": LADDER, "volume": VOLUME}, reader, growth=GROWTH) == sim()


def test_dataframes_of_other_libraries() -> None:
    pandas = pytest.importorskip("pandas")
    polars = pytest.importorskip("polars")
    rows = {"partner_id": ["D1", "D2", "D3"], "basis": [8_000, 40_000, 120_000]}
    for frame in (pandas.DataFrame(rows), polars.DataFrame(rows)):
        assert simulate({"graduated": LADDER, "volume": VOLUME}, frame, growth=GROWTH) == sim()


def test_table_refusals() -> None:
    def table(**columns: object) -> Any:
        return pa.table(columns)

    policies = {"a": LADDER}
    for bad, match in [
        (table(partner=["D1"], basis=[1]), "partner_id: the table of bases has no 'partner_id'"),
        (table(partner_id=["D1"]), "basis: the table of bases has no 'basis' column"),
        (table(partner_id=["D1"], basis=[1.5]), r"basis: the column is double, .*decimal128"),
        (table(partner_id=["D1"], basis=[True]), r"basis: the column is bool, not an exact"),
        (table(partner_id=["D1", None], basis=[1, 2]), "partner_id: row 1 is null"),
        (table(partner_id=["D1", "D2"], basis=[1, None]), "basis: row 1 is null"),
        (table(partner_id=[1, 2], basis=[1, 2]), "partner_id: the column is int64"),
        (table(partner_id=["D1", " "], basis=[1, 2]), r"partner_id: row 1 is blank \(' '\)"),
        (
            table(partner_id=["D1", "D2", "D1"], basis=[1, 2, 3]),
            "partner_id: row 2 repeats 'D1' .first at row 0.",
        ),
    ]:
        with pytest.raises(FrameError, match=match):
            simulate(policies, bad)
    twice = pa.Table.from_arrays(
        [pa.array(["D1"]), pa.array([1]), pa.array([2])], names=["partner_id", "basis", "basis"]
    )
    with pytest.raises(FrameError, match="basis: the table of bases has 2 such columns"):
        simulate(policies, twice)
    huge = table(partner_id=["D1", "D2"], basis=pa.array([1, 10**16], pa.int64()))
    with pytest.raises(ArgumentError, match=r"bases\['D2'\] is too large"):
        simulate(policies, huge)
    text = table(partner_id=["D1"], basis=["n/a"])
    with pytest.raises(ArgumentError, match=r"bases\['D1'\] is not a number"):
        simulate(policies, text)
    with pytest.raises(ArgumentTypeError, match=r"bases must be a table .a stream of rows."):
        simulate(policies, pa.chunked_array([[1, 2]]))


# -- properties ----------------------------------------------------------------------------------


@given(simulations())
def test_totals_are_sums_of_compute_rebate(s: Simulation) -> None:
    for row in s.rows:
        policy = s.policies[row.policy_id]
        grown = [CONTEXT.multiply(b, 1 + row.growth) for b in s.bases.values()]
        amounts_ = [compute_rebate(policy, b).amount for b in grown]
        zero = Money.zero(policy.currency)
        assert row.total == sum(amounts_, zero)
        assert row.basis == sum(grown, D(0))
        assert row.partners == len(grown)
        assert row.partners_paid == sum(1 for a in amounts_ if a.amount > 0)
        assert row.min == (min(amounts_, key=lambda m: m.amount) if amounts_ else None)
        assert row.max == (max(amounts_, key=lambda m: m.amount) if amounts_ else None)
        expected_rate = CONTEXT.divide(row.total.amount, row.basis) if row.basis else D(0)
        assert row.cost_rate == expected_rate
    keys = [(r.policy_id, r.growth) for r in s.rows]
    assert keys == [(p, g) for p in s.policies for g in s.growth]


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=6).filter(str.strip),
        amounts(min_value=0, max_value=10**8, places=st.integers(0, 4)),
        max_size=8,
    ),
    st.lists(st.integers(-100, 300), min_size=1, max_size=3, unique=True),
)
def test_table_bases_equal_mapping_bases(bases: dict[str, Decimal], percents: list[int]) -> None:
    growth = [D(f"{n}e-2") for n in percents]
    policies = {"graduated": LADDER, "volume": VOLUME}
    column = pa.array(list(bases.values()), pa.decimal128(20, 4))
    table = pa.table({"partner_id": pa.array(list(bases), pa.string()), "basis": column})
    assert simulate(policies, table, growth=growth) == simulate(policies, bases, growth=growth)


@given(simulations(min_partners=1), st.data())
def test_diff_is_sorted_and_adds_up(s: Simulation, data: st.DataObject) -> None:
    a = data.draw(st.sampled_from(list(s.policies)))
    b = data.draw(st.sampled_from(list(s.policies)))
    g = data.draw(st.sampled_from(s.growth))
    diffs = s.diff(a, b, g)
    assert sorted(d.partner_id for d in diffs) == sorted(s.bases)
    keys = [(d.change.amount, d.partner_id) for d in diffs]
    assert keys == sorted(keys)
    for d in diffs:
        assert d.change == d.amount_b - d.amount_a
    zero = Money.zero(s.policies[a].currency)
    assert sum((d.change for d in diffs), zero) == s.row(b, g).total - s.row(a, g).total


@given(simulations())
def test_simulations_round_trip_through_json(s: Simulation) -> None:
    assert Simulation.model_validate_json(s.model_dump_json()) == s
    assert s.explain("zh")


@given(simulation_rows())
def test_rows_round_trip_through_json(row: SimulationRow) -> None:
    assert SimulationRow.model_validate_json(row.model_dump_json()) == row
    assert row.explain()
    assert row.explain("zh")


@given(partner_diffs())
def test_partner_diffs_round_trip_through_json(d: PartnerDiff) -> None:
    assert PartnerDiff.model_validate_json(d.model_dump_json()) == d
    assert d.explain()
    assert d.explain("zh")
