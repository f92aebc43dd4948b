"""`image`: the containers run the image the task names, however the reference is written."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from exercises.base import CheckBase
from graders.checktypes.base import CheckType, lazy, pods_of
from graders.report import CheckResult
from graders.subject import Subject, result

images, workloads = lazy("graders.meaning.images"), lazy("graders.meaning.workloads")

MESSAGES = {
    "runs": ("container `{container}` runs `{image}`", "컨테이너 `{container}`은(는) `{image}`을(를) 실행합니다"),
    "wrong": ("container `{container}` runs `{image}`, expected {wanted}", "컨테이너 `{container}`은(는) `{image}`을(를) 실행합니다. 기대한 이미지는 {wanted}"),
    "no-image": ("container `{container}` has no image, expected {wanted}", "컨테이너 `{container}`에 이미지가 없습니다. 기대한 이미지는 {wanted}"),
    "no-container": ("there is no container `{container}` (there are: {names})", "`{container}` 컨테이너가 없습니다 (있는 컨테이너: {names})"),
    "no-containers": ("there are no containers", "컨테이너가 없습니다"),
}


class ImageCheck(CheckBase):
    """The containers run this image: `busybox:1.36` is also `docker.io/library/busybox:1.36` or `busybox:1.36@sha256:...`."""

    type: Literal["image"]
    image: str | list[str] = Field(min_length=1)
    """The image the task names; a list: any one of them."""
    container: str | None = None
    """The container, by name; unset: every container (in `containers`, or `initContainers` with `init: true`)."""
    init: bool = False
    """Look at the init containers."""


def run_image(check: ImageCheck, subject: Subject) -> CheckResult:
    pods = pods_of(check, subject)
    if isinstance(pods, str):
        return result(check, subject, False, pods)
    wanted = [check.image] if isinstance(check.image, str) else list(check.image)
    shown = " / ".join(f"`{w}`" for w in wanted)
    chosen = workloads.containers(pods.spec, check.init)
    if check.container is not None:
        names = ", ".join(f"`{c.get('name')}`" for c in chosen) or "—"
        chosen = [c for c in chosen if c.get("name") == check.container]
        if not chosen:
            return result(check, subject, False, subject.tell(MESSAGES, "no-container", container=check.container, names=names))
    if not chosen:
        return result(check, subject, False, subject.tell(MESSAGES, "no-containers"))
    key = "initContainers" if check.init else "containers"
    for c in chosen:
        image, name = c.get("image"), c.get("name")
        index = pods.index(str(name))
        line = pods.line(subject, index[0], index[1], "image") if index else None
        where = f"{key}[{name}].image"
        if not isinstance(image, str) or not image:
            return result(check, subject, False, subject.tell(MESSAGES, "no-image", container=name, wanted=shown), where, line)
        if not any(images.same_image(image, w) for w in wanted):
            return result(check, subject, False, subject.tell(MESSAGES, "wrong", container=name, image=image, wanted=shown), where, line)
    last = chosen[-1]
    return result(check, subject, True, "; ".join(subject.tell(MESSAGES, "runs", container=c.get("name"), image=c.get("image")) for c in chosen), f"{key}[{last.get('name')}].image")


TYPE = CheckType("image", ImageCheck, run_image)
