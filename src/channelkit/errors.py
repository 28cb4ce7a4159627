"""The error hierarchy of channelkit.

Every error the library raises on purpose derives from [`ChannelkitError`][], and each subclass
also derives from the builtin exception that code written without channelkit in mind would already
catch: a currency mismatch or an inapplicable policy is a ``ValueError`` (a bad value for this
call), an undefined ratio is a ``ZeroDivisionError`` (the denominator is zero). So
``except ValueError`` keeps working around channelkit calls, and ``except ChannelkitError``
catches exactly what channelkit raised on purpose.

Invalid *model* input (a negative rate, an unknown currency in a field, an unknown field) is
reported by pydantic as `pydantic.ValidationError`, which names the field and the value.
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = [
    # the base
    "ChannelkitError",
    # a calculator's arguments
    "ArgumentError",
    "ArgumentTypeError",
    # money and ratios
    "CurrencyMismatchError",
    "UndefinedRatioError",
    # checking an argument's type
    "expect",
    # policies, lifecycles and tables
    "PolicyError",
    "InvalidTransitionError",
    "FrameError",
]


class ChannelkitError(Exception):
    """Base class of every error channelkit raises on purpose.

    Every error pickles with its fields (so it crosses a process boundary intact), whatever its
    constructor's arguments.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # the default rebuilds by calling the class with ``args`` (the message only), which
        # fails for a constructor with keyword-only or several arguments
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(cls: type[ChannelkitError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    err = cls.__new__(cls, *args)
    err.args = args
    err.__dict__.update(state)
    return err


class ArgumentError(ChannelkitError, ValueError):
    """A calculator's argument that is wrong in itself (a negative count, an unknown option).

    Subclasses ``ValueError``: the call received a value it cannot use. It is the counterpart of
    [`PolicyError`][], which is about a policy that is valid but cannot apply to the input.
    Inside a pydantic validator it becomes a ``ValidationError`` like any ``ValueError``.

    Parameters
    ----------
    message
        The whole message; it names the argument and the value.
    argument
        The argument's name (``"grace_days"``, ``"top"``...).
    value
        The value that was refused.

    Examples
    --------
    >>> err = ArgumentError("top must be at least 1, got 0", argument="top", value=0)
    >>> err.argument, err.value, isinstance(err, ValueError)
    ('top', 0, True)
    """

    def __init__(self, message: str, *, argument: str, value: Any) -> None:
        super().__init__(message)
        self.argument = argument
        self.value = value


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument of the wrong type (a ``float`` where money is expected, a dict for a model).

    Subclasses ``TypeError`` as Python's own calls do for a wrong type, and [`ArgumentError`][]
    (so also ``ValueError``) so that one ``except ChannelkitError`` or ``except ValueError`` still
    catches every bad argument, and pydantic reports it as a ``ValidationError`` inside a field.

    Examples
    --------
    >>> err = ArgumentTypeError("rate must not be a float", argument="rate", value=0.1)
    >>> isinstance(err, TypeError), isinstance(err, ValueError)
    (True, True)
    """


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
        self.context = context


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

    Parameters
    ----------
    message
        The whole message.
    policy
        The id of the policy that cannot apply, when one is known.
    metric
        The metric the policy needs and the caller did not supply, when that is the reason.

    Examples
    --------
    >>> err = PolicyError("policy P1 needs metric 'nps'", policy="P1", metric="nps")
    >>> err.policy, err.metric
    ('P1', 'nps')
    """

    def __init__(
        self, message: str, *, policy: str | None = None, metric: str | None = None
    ) -> None:
        super().__init__(message)
        self.policy = policy
        self.metric = metric


class FrameError(ChannelkitError, ValueError):
    """A table of facts with rows or columns that cannot be read (``channelkit.frames``).

    Subclasses ``ValueError``. The message gives the count of rejected rows and the first five;
    [`rejected`][] holds every rejected row (the input's columns plus ``row`` and ``reason``)
    as a ``pyarrow.Table``, or ``None`` when the whole table was refused (a missing or
    floating-point column). Importable without pyarrow.

    Parameters
    ----------
    message
        The whole message.
    rejected
        The rejected rows, when rows were rejected.

    Examples
    --------
    >>> err = FrameError("amount: column is float64; cast it to decimal128 or string")
    >>> err.rejected is None, isinstance(err, ValueError)
    (True, True)
    """

    def __init__(self, message: str, *, rejected: Any = None) -> None:
        super().__init__(message)
        self.rejected = rejected


_T = TypeVar("_T")


def expect(value: object, cls: type[_T] | tuple[type[_T], ...], argument: str, what: str) -> _T:
    """Return ``value`` if it is an instance of ``cls``, else an [ArgumentTypeError][] naming it.

    The one check of a calculator argument's type; ``what`` completes the message
    "``argument`` must be ``what``, not ``<type>``".

    Examples
    --------
    >>> expect(5, int, "top", "an int")
    5
    >>> expect("5", int, "top", "an int")
    Traceback (most recent call last):
    channelkit.errors.ArgumentTypeError: top must be an int, not str
    """
    if isinstance(value, cls):
        return value
    msg = f"{argument} must be {what}, not {type(value).__name__}"
    raise ArgumentTypeError(msg, argument=argument, value=value)
