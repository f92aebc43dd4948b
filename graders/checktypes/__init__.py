"""The check types that run on plain objects, offline and live alike: one module each, listed here by hand."""

from __future__ import annotations

from graders.checktypes import count, field, object_exists
from graders.checktypes.base import CheckType

REGISTRY: dict[str, CheckType] = {t.name: t for t in (field.TYPE, object_exists.TYPE, count.TYPE)}
"""Check type name -> its module's CheckType. Adding a check type: a module and its line here."""
