"""Griffe extension: document the members of channelkit's ``LabeledEnum``s by their labels.

A member is declared ``NAME = "name", "English label", "中文标签"``. Read statically, its value
is that whole tuple and it has no docstring, so the API reference would show each member as a
three-line tuple. This extension gives the reference what the runtime has: the value (``"name"``,
what JSON holds) and, as the member's docstring, its English and Chinese labels. Only the
documentation changes; the source is not touched.

Loaded by mkdocstrings through ``extensions`` in ``mkdocs.yml``.
"""

from __future__ import annotations

import ast
from typing import Any

import griffe

LABELED_ENUM = "channelkit.labels.LabeledEnum"
"""The base class whose subclasses' members are labelled."""


def _is_labeled_enum(cls: griffe.Class) -> bool:
    """Whether ``cls`` derives from ``LabeledEnum`` (directly or not)."""
    try:
        return any(base.path == LABELED_ENUM for base in cls.mro())
    except Exception:  # an unresolvable base: not ours
        return False


def _literals(value: object) -> list[str] | None:
    """The string items of a member's value (a tuple of strings, or one string), else None."""
    items = value.elements if isinstance(value, griffe.ExprTuple) else [value]
    strings = []
    for item in items:
        try:
            literal = ast.literal_eval(str(item))
        except (ValueError, SyntaxError):
            return None
        if not isinstance(literal, str):
            return None
        strings.append(literal)
    return strings if 1 <= len(strings) <= 3 else None


class LabeledEnumMembers(griffe.Extension):
    """Give each ``LabeledEnum`` member its value and its labels as a docstring."""

    def on_class(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        """Rewrite the members of a ``LabeledEnum`` subclass (as ``LabeledEnum.__new__`` does)."""
        if not _is_labeled_enum(cls):
            return
        for member in cls.members.values():
            if not isinstance(member, griffe.Attribute) or member.name.startswith("_"):
                continue
            strings = _literals(member.value)
            if strings is None:
                continue
            value, en, zh = [*strings, "", ""][:3]
            en = en or value.replace("_", " ").capitalize()
            zh = zh or en
            member.value = repr(value)
            member.labels.clear()
            if member.docstring is None:
                text = en if zh == en else f"{en} ({zh})"
                member.docstring = griffe.Docstring(text, parent=member)
