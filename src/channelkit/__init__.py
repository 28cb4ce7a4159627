"""channelkit: typed models and exact calculators for sales-channel management.

Every public name is importable from here; each area's module holds its models and calculators
(``channelkit.money``, ``channelkit.periods``, ``channelkit.partners``, ...).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from channelkit.errors import (
    ArgumentError,
    ArgumentTypeError,
    ChannelkitError,
    CurrencyMismatchError,
    FrameError,
    InvalidTransitionError,
    PolicyError,
    UndefinedRatioError,
)
from channelkit.labels import Explainable, LabeledEnum
from channelkit.money import Money, allocate
from channelkit.partners import Partner, PartnerKind, PartnerStatus
from channelkit.periods import Frequency, Period
from channelkit.scales import Direction, Severity
from channelkit.schemas import schemas
from channelkit.statements import FinancialStatement
from channelkit.transactions import Transaction, TransactionKind

# -- the areas: each is re-exported from its own curated ``__all__``, the one list of its names.
# Each module is bound under a private alias before its names are star-imported: the review
# area's function ``review`` has its module's name, and the star import rebinds that name.
# isort: split
from channelkit import conflicts as _conflicts
from channelkit import credit as _credit
from channelkit import incentives as _incentives
from channelkit import kpi
from channelkit import rebates as _rebates
from channelkit import review as _review
from channelkit import risk as _risk
from channelkit import scoring as _scoring
from channelkit import tiers as _tiers

# isort: split
from channelkit.conflicts import *  # noqa: F403
from channelkit.credit import *  # noqa: F403
from channelkit.incentives import *  # noqa: F403
from channelkit.kpi import Balances, RatioReport, financial_ratios
from channelkit.rebates import *  # noqa: F403
from channelkit.review import *  # noqa: F403
from channelkit.risk import *  # noqa: F403
from channelkit.scoring import *  # noqa: F403
from channelkit.tiers import *  # noqa: F403

try:
    __version__: str = version("channelkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    # kernel: money and periods
    "Money",
    "allocate",
    "Period",
    "Frequency",
    # kernel: errors
    "ChannelkitError",
    "CurrencyMismatchError",
    "UndefinedRatioError",
    "InvalidTransitionError",
    "PolicyError",
    "ArgumentError",
    "ArgumentTypeError",
    "FrameError",
    # kernel: conventions
    "LabeledEnum",
    "Explainable",
    "Direction",
    "Severity",
    "schemas",
    # facts
    "Partner",
    "PartnerKind",
    "PartnerStatus",
    "Transaction",
    "TransactionKind",
    "FinancialStatement",
]
# the areas, in this order, each by the typing spec's ``__all__ += submodule.__all__``
__all__ += _scoring.__all__
__all__ += _tiers.__all__
__all__ += _rebates.__all__
__all__ += _credit.__all__
# kpi: the module (its ratios are read as ``kpi.current_ratio``) and the statement report
__all__ += ["kpi", "financial_ratios", "RatioReport", "Balances"]
__all__ += _review.__all__
__all__ += _conflicts.__all__
__all__ += _risk.__all__
__all__ += _incentives.__all__
# a name two lists share (``Severity``: a kernel scale the conflicts area also lists) once
__all__[:] = dict.fromkeys(__all__)
