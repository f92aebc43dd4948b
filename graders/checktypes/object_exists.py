"""`object_exists`: the answer (or the cluster) has the object."""

from __future__ import annotations

from typing import Literal

from exercises.base import CheckBase
from graders.checktypes.base import CheckType
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping


class ObjectExistsCheck(CheckBase):
    """The answer (or the cluster) has this object."""

    type: Literal["object_exists"]


def run_object_exists(check: ObjectExistsCheck, subject: Subject) -> CheckResult:
    obj, why = subject.find(check.object)
    ref = check.object or subject.default_ref
    if obj is None:
        return result(check, subject, False, why)
    name = mapping(obj.get("metadata")).get("name")
    kind = ref.kind if ref else obj.get("kind")
    return result(check, subject, True, subject.say(f"{kind} `{name}` is there", f"{kind} `{name}`이(가) 있습니다"), "metadata.name", subject.line_for(obj, ("metadata", "name")))


TYPE = CheckType("object_exists", ObjectExistsCheck, run_object_exists)
