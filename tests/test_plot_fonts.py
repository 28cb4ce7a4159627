"""channelkit.plot in Chinese: a CJK font found at run time, the warning and Latin fallback.

Both cases are forced by replacing the font lookup (``channelkit.plot._fonts.find_cjk_font``):
"found" returns a font this module builds (every CJK ideograph and full-width form drawn as a
box, registered with matplotlib), so it runs where no CJK font is installed, and its rendering
must emit no warning (warnings are errors); "not found" returns ``None``. Also: text of the
data is made drawable, and matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import types
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from channelkit import (
    ArgumentError,
    Bracket,
    Money,
    OpenItem,
    Period,
    RebatePolicy,
    RiskItem,
    Transaction,
    aging,
    ledger,
)
from channelkit.demo import sample
from channelkit.plot import (
    CJKFontWarning,
    _fonts,
    aging_chart,
    ledger_chart,
    rebate_curve,
    review_chart,
    risk_heatmap,
)
from channelkit.plot._base import MISSING
from channelkit.review import review

FAMILY = "Channelkit Test CJK"
CNY = "CNY"


def _box() -> Any:
    pen = TTGlyphPen(None)
    for point in ((100, 0), (100, 800), (900, 800), (900, 0)):
        (pen.lineTo if point != (100, 0) else pen.moveTo)(point)
    pen.closePath()
    return pen.glyph()


@pytest.fixture(scope="session")
def cjk_font(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A font with a box for every CJK ideograph, symbol and full-width form, registered."""
    path = tmp_path_factory.mktemp("fonts") / "cjk-box.ttf"
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "box"])
    ranges = [(0x3000, 0x3040), (0x4E00, 0xA000), (0xFF00, 0xFFF0)]
    fb.setupCharacterMap({cp: "box" for low, high in ranges for cp in range(low, high)})
    fb.setupGlyf({".notdef": _box(), "box": _box()})
    fb.setupHorizontalMetrics({".notdef": (1000, 100), "box": (1000, 100)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": FAMILY, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))
    font_manager.fontManager.addfont(str(path))
    return FAMILY


@pytest.fixture
def found(monkeypatch: pytest.MonkeyPatch, cjk_font: str) -> str:
    monkeypatch.setattr(_fonts, "find_cjk_font", lambda: cjk_font)
    return cjk_font


@pytest.fixture
def missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fonts, "find_cjk_font", lambda: None)


def png(fig: Figure) -> None:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    assert buffer.getvalue().startswith(b"\x89PNG")


def texts(fig: Figure) -> list[str]:
    """Every text of the figure: titles, labels, tick labels, annotations, legends."""
    out = [fig.get_suptitle()]
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts)]
        if ax.get_legend() is not None:
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    for leg in fig.legends:
        out += [t.get_text() for t in leg.get_texts()]
    return [t for t in out if t]


POLICY = RebatePolicy(
    id="V",
    name="Volume",
    currency=CNY,
    mode="volume",  # type: ignore[arg-type]
    cap=Decimal(5_000),
    brackets=(Bracket(start=0, rate=Decimal("0.03")), Bracket(start=100_000, rate=Decimal("0.02"))),
)
DAY = dt.date(2026, 9, 30)


def _ledger() -> Any:
    sale = Transaction(
        id="T1",
        partner_id="D1",
        date=dt.date(2026, 2, 3),
        kind="sale",  # type: ignore[arg-type]
        amount=Money(50_000, CNY),
    )
    return ledger(POLICY, [sale], Period.half(2026, 1).split("quarterly"), partner_id="D1")


CHARTS: dict[str, Callable[[str], Figure]] = {
    "rebate_curve": lambda lang: rebate_curve(POLICY, up_to=200_000, lang=lang),
    "review_chart": lambda lang: review_chart(
        review(
            sample.transactions(),
            sample.QUARTER,
            partners=sample.partners(),
            prior=sample.PRIOR,
            targets={"D-EAST": 400_000},
        ),
        lang=lang,
    ),
    "risk_heatmap": lambda lang: risk_heatmap(
        [
            RiskItem(
                id="R1",
                title="t",
                category="credit",  # type: ignore[arg-type]
                likelihood=3,
                impact=4,
                identified=DAY,
            )
        ],
        lang=lang,
    ),
    "aging_chart": lambda lang: aging_chart(
        aging(
            [OpenItem(id="A", amount=Money(600, CNY), due=dt.date(2026, 9, 1))], DAY, grace_days=3
        ),
        lang=lang,
    ),
    "ledger_chart": lambda lang: ledger_chart(_ledger(), lang=lang),
}
# one label of each chart, as the Chinese chart must show it
CHINESE = {
    "rebate_curve": "返利（CNY）",
    "review_chart": "落后伙伴（达成率低于 80%）",
    "risk_heatmap": "风险热力图：共 1 项",
    "aging_chart": "逾期 1-30 天",
    "ledger_chart": "本期应付",
}
ENGLISH = {
    "rebate_curve": "Rebate (CNY)",
    "review_chart": "Laggard (attainment below 80%)",
    "risk_heatmap": "Risk heat map: 1 risk",
    "aging_chart": "1-30 days overdue",
    "ledger_chart": "Payable",
}


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chinese_labels_with_a_cjk_font(name: str, found: str) -> None:
    fig = CHARTS[name]("zh")
    shown = texts(fig)
    assert CHINESE[name] in shown
    assert ENGLISH[name] not in shown
    title = fig.axes[0].title
    assert title.get_fontfamily() == ["DejaVu Sans", found]
    tick = fig.axes[0].get_xticklabels()[0]
    assert tick.get_fontfamily() == ["DejaVu Sans", found]
    png(fig)  # no "Glyph missing" warning: the test font draws every Chinese character


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_english_labels_and_one_warning_without_a_cjk_font(name: str, missing: None) -> None:
    with pytest.warns(CJKFontWarning) as record:
        fig = CHARTS[name]("zh")
    assert len(record) == 1
    message = str(record[0].message)
    assert "labelled in English" in message
    assert "Noto Sans CJK SC" in message
    assert "fonts-noto-cjk" in message
    assert record[0].filename == __file__  # it points at the caller's line
    shown = texts(fig)
    assert ENGLISH[name] in shown
    assert not any(_has_cjk(t) for t in shown)
    assert shown == texts(CHARTS[name]("en"))  # exactly the English chart
    assert fig.axes[0].title.get_fontfamily() == ["DejaVu Sans"]
    png(fig)


def test_english_charts_need_no_cjk_font(missing: None) -> None:
    for chart in CHARTS.values():
        png(chart("en"))  # no warning at all


def _review_of(partner_id: str, territory: str = "华北") -> Any:
    sale = Transaction(
        id="T1",
        partner_id=partner_id,
        date=dt.date(2026, 8, 1),
        kind="sale",  # type: ignore[arg-type]
        amount=Money(100, CNY),
        territory=territory,
    )
    return review([sale], sample.QUARTER)


def test_chinese_data_in_an_english_chart_uses_the_cjk_font(found: str) -> None:
    fig = review_chart(_review_of("经销商甲"))
    assert fig.axes[0].get_xticklabels()[0].get_text() == "经销商甲"
    assert fig.axes[1].get_yticklabels()[0].get_text() == "华北"
    png(fig)


def test_chinese_data_without_a_cjk_font_is_shown_as_question_marks(missing: None) -> None:
    with pytest.warns(CJKFontWarning, match=r"shown as '\?'") as record:
        fig = review_chart(_review_of("经销商甲"))
    assert len(record) == 1  # once per chart, however many texts
    assert fig.axes[0].get_xticklabels()[0].get_text() == "????"
    assert fig.axes[1].get_yticklabels()[0].get_text() == "??"
    png(fig)
    with pytest.warns(CJKFontWarning, match="labelled in English") as record:
        fig = review_chart(_review_of("经销商甲"), lang="zh")
    assert len(record) == 1  # the fallback's warning covers the data too
    assert fig.axes[0].get_xticklabels()[0].get_text() == "????"


def test_control_characters_and_dollars_are_drawn_safely(missing: None) -> None:
    policy = POLICY.model_copy(update={"name": "Tab\there $5 and $6\x1f"})
    fig = rebate_curve(policy, up_to=1_000)  # no warning: no font would draw a tab
    title = fig.axes[0].get_title()
    assert title.startswith("Rebate curve of Tab?here \\$5 and \\$6? (V)\n")
    png(fig)  # the dollars are not read as mathematics
    fig = review_chart(_review_of("P$1$", territory="N"))
    assert fig.axes[0].get_xticklabels()[0].get_text() == "P\\$1\\$"
    png(fig)


def test_fonts_keep_new_lines_and_check_the_language() -> None:
    fonts = _fonts.Fonts("en")
    assert fonts.text("a\nb") == "a\nb"
    assert fonts.pick("{n} risks", "共 {n} 项", n=3) == "3 risks"
    with pytest.raises(ArgumentError, match="lang must be 'en' or 'zh', got 'fr'"):
        _fonts.Fonts("fr")


def test_find_cjk_font_prefers_simplified_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    def installed(*names: str) -> None:
        entries = [types.SimpleNamespace(name=n) for n in names]
        monkeypatch.setattr(font_manager.fontManager, "ttflist", entries)

    installed("DejaVu Sans", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Noto Sans CJK SC")
    assert _fonts.find_cjk_font() == "Noto Sans CJK SC"
    installed("DejaVu Sans", "Noto Sans CJK JP")
    assert _fonts.find_cjk_font() == "Noto Sans CJK JP"
    installed("DejaVu Sans")
    assert _fonts.find_cjk_font() is None


def test_the_real_lookup_finds_a_known_font_or_none() -> None:
    found = _fonts.find_cjk_font()
    assert found is None or found in _fonts.CJK_FAMILIES


@pytest.fixture
def without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("matplotlib", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)


def test_a_missing_matplotlib_says_how_to_install_it(without_matplotlib: None) -> None:
    charts: list[Callable[[], Any]] = [
        lambda: rebate_curve(POLICY, up_to=1),
        lambda: review_chart(None),  # type: ignore[arg-type]
        lambda: risk_heatmap([]),
        lambda: aging_chart(None),  # type: ignore[arg-type]
        lambda: ledger_chart(None),  # type: ignore[arg-type]
    ]
    for chart in charts:
        with pytest.raises(ImportError, match=r"pip install 'channelkit\[plot\]'") as info:
            chart()
        assert info.value.name == "matplotlib"
    assert "matplotlib" in MISSING


def test_matplotlib_is_imported_only_when_a_chart_is_drawn() -> None:
    code = (
        "import sys, channelkit, channelkit.plot\n"
        "print('matplotlib' in sys.modules)\n"
        "from channelkit.plot import risk_heatmap\n"
        "fig = risk_heatmap([])\n"
        "print('matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd()
    )
    assert out.stdout.split() == ["False", "True", "False"]
