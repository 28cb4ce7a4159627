"""The base configuration every channelkit model shares.

:class:`Model` is a pydantic v2 ``BaseModel`` that is frozen (immutable and hashable), forbids
unknown fields (a misspelt option fails loudly instead of being ignored), takes field descriptions
from attribute docstrings, and rejects NaN and the infinities. Decimal fields use the float-free
types of :mod:`channelkit.numeric`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["Id", "Model"]


class Model(BaseModel):
    """Base of every channelkit model: frozen, ``extra="forbid"``, strict about numbers."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        use_attribute_docstrings=True,
        validate_default=False,
        ser_json_timedelta="iso8601",
    )


Id = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
"""A non-empty identifier (``id``, ``partner_id``, ``code``...), not only white space."""
