"""The error hierarchy of channelkit.

Every error the library raises on purpose derives from :class:`ChannelkitError`, and each subclass
also derives from the builtin exception that code written without channelkit in mind would already
catch: a currency mismatch or an inapplicable policy is a ``ValueError`` (a bad value for this
call), an undefined ratio is a ``ZeroDivisionError`` (the denominator is zero). So
``except ValueError`` keeps working around channelkit calls, and ``except ChannelkitError``
catches exactly what channelkit raised on purpose.

Invalid *model* input (a negative rate, an unknown currency in a field, an unknown field) is
reported by pydantic as :class:`pydantic.ValidationError`, which names the field and the value.
"""

from __future__ import annotations

__all__ = [
    "ChannelkitError",
    "CurrencyMismatchError",
    "InvalidTransitionError",
    "PolicyError",
    "UndefinedRatioError",
]


class ChannelkitError(Exception):
    """Base class of every error channelkit raises on purpose."""


class CurrencyMismatchError(ChannelkitError, ValueError):
    """Two amounts, or an amount and a policy, are in different currencies.

    Subclasses ``ValueError`` because the call received a value it cannot use; money of two
    currencies is never converted implicitly.

    Parameters
    ----------
    expected, got
        The currency codes that disagree.
    context
        What was being done, for the message (``"add"``, ``"policy P1"``, ...).
    """

    def __init__(self, expected: str, got: str, context: str = "") -> None:
        where = f" ({context})" if context else ""
        super().__init__(f"currency mismatch{where}: expected {expected}, got {got}")
        self.expected = expected
        self.got = got


class UndefinedRatioError(ChannelkitError, ZeroDivisionError):
    """A ratio whose denominator is zero (or otherwise not meaningful).

    Subclasses ``ZeroDivisionError`` so code that already guards division keeps working.

    Parameters
    ----------
    ratio
        The ratio's name, e.g. ``"current_ratio"``.
    reason
        Why it is undefined, e.g. ``"current_liabilities is 0"``.
    """

    def __init__(self, ratio: str, reason: str) -> None:
        super().__init__(f"{ratio} is undefined: {reason}")
        self.ratio = ratio
        self.reason = reason


class InvalidTransitionError(ChannelkitError, ValueError):
    """A lifecycle move that the lifecycle's table does not allow.

    Subclasses ``ValueError``: the requested target state is a bad value for the current state.
    """


class PolicyError(ChannelkitError, ValueError):
    """A policy that is valid field by field but cannot be applied to the input given.

    For example a rebate policy in CNY applied to USD sales, or a condition naming a metric that
    the caller did not supply. Subclasses ``ValueError``.
    """
