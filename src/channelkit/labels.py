"""Bilingual labels and the explanation protocol shared by every model.

Every enum of channelkit is a [`LabeledEnum`][]: a ``StrEnum`` whose values are the lower-case
member names (which is also their JSON form) and which carries an English and a Chinese display
name, declared next to the member::

    class PartnerKind(LabeledEnum):
        DISTRIBUTOR = "distributor", "Distributor", "经销商"

Every result model has ``explain(lang="en") -> str`` (the [`Explainable`][] protocol); the
helpers here format the figures an explanation shows, the same way in every area.
"""

from __future__ import annotations

from decimal import Context, Decimal, DecimalException
from enum import StrEnum
from typing import Literal, Protocol, TypeVar, runtime_checkable

from channelkit.errors import ArgumentError, ArgumentTypeError
from channelkit.numeric import CONTEXT, MAX_DIGITS, quantize_places

__all__ = [
    "Explainable",
    "LabeledEnum",
    "RankedEnum",
    "Lang",
    "check_lang",
    "fmt_amount",
    "fmt_number",
    "fmt_pct",
    "pick",
]

Lang = Literal["en", "zh"]
"""The languages labels and explanations are written in."""

_LANGS: frozenset[str] = frozenset({"en", "zh"})


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is a supported language, else an argument error naming it.

    Examples
    --------
    >>> check_lang("zh")
    'zh'
    """
    if type(lang) is not str or lang not in _LANGS:
        msg = f"lang must be 'en' or 'zh', got {lang!r}"
        raise ArgumentError(msg, argument="lang", value=lang)
    return lang  # type: ignore[return-value]


def pick(lang: str, en: str, zh: str) -> str:
    """Choose the English or the Chinese text by ``lang`` (checked).

    Examples
    --------
    >>> pick("zh", "rebate", "返利")
    '返利'
    """
    return zh if check_lang(lang) == "zh" else en


_E = TypeVar("_E", bound="LabeledEnum")


def _member(cls: type[_E], value: str, en: str, zh: str) -> _E:
    """A member with its value and labels (the English one derived from the value if empty)."""
    obj = str.__new__(cls, value)
    obj._value_ = value
    obj._label_en = en or value.replace("_", " ").capitalize()
    obj._label_zh = zh or obj._label_en
    return obj


class LabeledEnum(StrEnum):
    """A ``StrEnum`` whose members carry an English and a Chinese label.

    Members are declared as ``NAME = "name", "English label", "中文标签"``; the value is the first
    item, so ``member == "name"`` and JSON holds ``"name"``.
    """

    _label_en: str
    _label_zh: str

    def __new__(cls, value: str, en: str = "", zh: str = "") -> LabeledEnum:
        """Create a member from its value and its English and Chinese labels."""
        return _member(cls, value, en, zh)

    def label(self, lang: str = "en") -> str:
        """The display name in ``lang`` (``"en"`` or ``"zh"``).

        Examples
        --------
        >>> from channelkit import PartnerKind
        >>> PartnerKind.DISTRIBUTOR.label("zh")
        '经销商'
        """
        return pick(lang, self._label_en, self._label_zh)


class RankedEnum(LabeledEnum):
    """A [LabeledEnum][channelkit.labels.LabeledEnum] ordered by declaration, not by spelling.

    ``<``, ``>``, ``sorted()`` and ``max()`` follow the order the members are declared in (the
    first is the lowest); equality and hashing stay those of the string value. Ordering a member
    and anything else (a member of another enum, a plain string) is a ``TypeError``, as for any
    unordered types, rather than ``str``'s comparison by spelling.

    Examples
    --------
    >>> class Level(RankedEnum):
    ...     LOW = "low", "Low", "低"
    ...     HIGH = "high", "High", "高"
    >>> max(Level.HIGH, Level.LOW), Level.LOW < Level.HIGH, Level.HIGH.rank
    (<Level.HIGH: 'high'>, True, 1)
    """

    _rank: int

    def __new__(cls, value: str, en: str = "", zh: str = "") -> RankedEnum:
        """Create a member and record its place in the declaration."""
        obj = _member(cls, value, en, zh)
        obj._rank = len(cls._member_names_)  # the members declared before this one
        return obj

    @property
    def rank(self) -> int:
        """The member's place in the declaration, 0 for the first (the lowest)."""
        return self._rank

    def __lt__(self, other: object) -> bool:
        if type(other) is type(self):
            return self.rank < other.rank
        return _unordered(self, other, "<")

    def __le__(self, other: object) -> bool:
        if type(other) is type(self):
            return self.rank <= other.rank
        return _unordered(self, other, "<=")

    def __gt__(self, other: object) -> bool:
        if type(other) is type(self):
            return self.rank > other.rank
        return _unordered(self, other, ">")

    def __ge__(self, other: object) -> bool:
        if type(other) is type(self):
            return self.rank >= other.rank
        return _unordered(self, other, ">=")

    __hash__ = LabeledEnum.__hash__


def _unordered(member: RankedEnum, other: object, op: str) -> bool:
    """Refuse to order a member and a string: ``str``'s own order would compare the spelling.

    A member is a ``str``, so without this ``Severity.MEDIUM >= "high"`` (and ``sorted`` of a
    mixed list) would silently fall back to ``str``'s comparison, by spelling. Any other type
    gets ``NotImplemented`` and so Python's own ``TypeError``.
    """
    if isinstance(other, str):
        name = type(member).__name__
        msg = (
            f"'{op}' is not supported between {name} and {type(other).__name__} {other!r:.40}: "
            f"{name} members are ordered by rank, so compare members of {name} only"
        )
        raise ArgumentTypeError(msg, argument="other", value=other)
    return NotImplemented  # type: ignore[no-any-return]


@runtime_checkable
class Explainable(Protocol):
    """What every result model provides: an account of how it was computed."""

    def explain(self, lang: str = "en") -> str:
        """Return a short human-readable account in ``"en"`` or ``"zh"``."""
        ...  # pragma: no cover


def fmt_amount(value: Decimal, places: int = 2) -> str:
    """Format a number with thousands separators and ``places`` decimals (half-up).

    Examples
    --------
    >>> fmt_amount(Decimal("120000"))
    '120,000.00'
    >>> fmt_amount(Decimal("-1234.5"), 0)
    '-1,235'
    """
    try:
        return f"{quantize_places(value, places):,}"
    except DecimalException:  # too many digits to show to the cent: show the figure as it is
        return fmt_number(value)


def fmt_number(value: Decimal, *, grouping: bool = True) -> str:
    """Plain text of a number with its own digits: never scientific, trailing zeros dropped.

    For figures that are not money (units, factors, scores); ``grouping`` adds thousands
    separators.

    Examples
    --------
    >>> fmt_number(Decimal("12000.50")), fmt_number(Decimal("1E+2"), grouping=False)
    ('12,000.5', '100')
    >>> fmt_number(Decimal("0.00"))
    '0'
    """
    if not value:
        return "0"  # also for -0 and 0.00
    if not -50 < value.adjusted() < MAX_DIGITS:
        return str(value.normalize(_SHOW))  # scientific: a huge or tiny result stays short
    text = f"{value:,f}" if grouping else f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_SHOW = Context(prec=MAX_DIGITS, Emax=999_999_999, Emin=-999_999_999, traps=[])
"""Only strips trailing zeros for display: wide enough for any exponent a result may hold."""


def fmt_pct(value: Decimal, places: int = 2) -> str:
    """Format a fraction as a percentage, trailing zeros dropped.

    Examples
    --------
    >>> fmt_pct(Decimal("0.025833"))
    '2.58%'
    >>> fmt_pct(Decimal("0.04"))
    '4%'
    """
    try:
        pct = quantize_places(CONTEXT.multiply(value, Decimal(100)), places)
    except DecimalException:  # too many digits to show to the hundredth: shift the exponent
        sign, digits, exponent = value.as_tuple()
        return f"{fmt_number(Decimal((sign, digits, int(exponent) + 2)), grouping=False)}%"
    text = f"{pct:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"
