"""ISO 4217 currency codes and their minor units.

The table lists the active ISO 4217 currencies that have a minor unit (precious metals, testing
codes and units of account without one are left out). A code is known when it is in the table;
``minor_unit("JPY") == 0``, ``minor_unit("KWD") == 3``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Annotated, Final

from pydantic import AfterValidator, WithJsonSchema

from channelkit.errors import ArgumentError, ArgumentTypeError

__all__ = ["CURRENCIES", "CurrencyCode", "check_currency", "minor_unit"]

_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD "
    "KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD "
    "NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED "
    "VES WST XCD XCG YER ZAR ZMW ZWG"
)

CURRENCIES: Final = MappingProxyType(
    {
        **dict.fromkeys(_TWO.split(), 2),
        **dict.fromkeys(_ZERO.split(), 0),
        **dict.fromkeys(_THREE.split(), 3),
        **dict.fromkeys(_FOUR.split(), 4),
    }
)
"""Known ISO 4217 codes mapped to their minor unit (decimal places)."""


def check_currency(code: object) -> str:
    """Return ``code`` if it is a known ISO 4217 code, else an argument error naming it.

    Codes are upper-case; ``"cny"`` is refused rather than silently corrected, so that a typo in
    a stored record is found where it was made. The error is an ``ArgumentError`` (a
    ``ValueError``, so a ``ValidationError`` inside a model field), an ``ArgumentTypeError`` when
    ``code`` is not a string at all.

    Examples
    --------
    >>> check_currency("CNY")
    'CNY'
    >>> check_currency("XYZ")
    Traceback (most recent call last):
    channelkit.errors.ArgumentError: unknown currency 'XYZ': expected an upper-case ISO 4217 ...
    """
    if isinstance(code, str) and code in CURRENCIES:
        return code
    msg = f"unknown currency {code!r:.40}: expected an upper-case ISO 4217 code such as 'CNY'"
    if isinstance(code, str):
        raise ArgumentError(msg, argument="currency", value=code)
    raise ArgumentTypeError(msg, argument="currency", value=code)


def minor_unit(code: str) -> int:
    """The number of decimal places of ``code``'s minor unit.

    Examples
    --------
    >>> minor_unit("CNY"), minor_unit("JPY"), minor_unit("KWD")
    (2, 0, 3)
    """
    return CURRENCIES[check_currency(code)]


CurrencyCode = Annotated[
    str,
    AfterValidator(check_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code"}),
]
"""A model field holding a known ISO 4217 code."""
