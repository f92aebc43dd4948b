"""`helm_release`: a Helm release is at the status, chart, values and revision the task asks, read from Helm's
release Secrets (`sh.helm.release.v1.NAME.vN`), never by running helm."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from exercises.base import CheckBase, Matcher, ObjectRef
from graders.checktypes.base import CheckType, lazy
from graders.report import CheckResult
from graders.subject import Subject, result

helm = lazy("graders.meaning.helm")
matchers = lazy("graders.matchers")

MESSAGES = {
    "ok": ("release {release} is at revision {version} ({status}), chart {chart}-{chart_version}{values}",
           "릴리스 {release}은(는) revision {version}({status}), 차트 {chart}-{chart_version}입니다{values}"),
    "none": ("there is no release {release} in {namespace} (no Secret sh.helm.release.v1.{release}.v1 with the label owner=helm)",
             "{namespace}에 릴리스 {release}이(가) 없습니다(레이블 owner=helm인 Secret sh.helm.release.v1.{release}.v1이 없음)"),
    "unreadable": ("a release Secret of {release} cannot be read: {error}", "{release}의 릴리스 Secret을 읽을 수 없습니다: {error}"),
    "status": ("release {release} is {status} at revision {version}; expected {want}", "릴리스 {release}은(는) revision {version}에서 {status} 상태입니다. {want}이어야 합니다"),
    "chart": ("release {release} runs the chart {chart}-{chart_version}; expected {want}", "릴리스 {release}은(는) 차트 {chart}-{chart_version}을(를) 씁니다. {want}이어야 합니다"),
    "revision": ("release {release} is at revision {version}; expected {want}", "릴리스 {release}은(는) revision {version}입니다. {want}이어야 합니다"),
    "value": ("release {release} has {key}={found}; expected {want}", "릴리스 {release}의 {key}은(는) {found}입니다. {want}이어야 합니다"),
    "no-revision": ("release {release} has no revision {revision} any more (`helm history` shows {versions})", "릴리스 {release}에 revision {revision}이(가) 더 이상 없습니다(`helm history`: {versions})"),
    "not-after": ("release {release} is at revision {version}, not a new revision after {revision}", "릴리스 {release}은(는) revision {version}입니다. {revision} 뒤의 새 revision이어야 합니다"),
    "differs": ("release {release} at revision {version} has {what} {found}; revision {revision} had {want}", "릴리스 {release}의 revision {version}은(는) {what}이(가) {found}입니다. revision {revision}은(는) {want}였습니다"),
    "unset": ("not set", "설정되지 않음"),
}


class HelmReleaseCheck(CheckBase):
    """The release's current revision (the newest deployed, as `helm status` shows) is as the task asks."""

    type: Literal["helm_release"]
    release: str = Field(min_length=1)
    """The release's name."""
    namespace: str | None = None
    """Its namespace; unset means the exercise's."""
    status: str = "deployed"
    """What `helm status` says of it."""
    chart: str | None = None
    """The chart's name (Chart.yaml `name`)."""
    chart_version: str | None = None
    """The chart's version (Chart.yaml `version`)."""
    revision: Matcher | None = None
    """The current revision's number (`{equals: 2}` after one upgrade)."""
    values: dict[str, Matcher] = {}
    """`--set`-style keys (`replicaCount`, `image.tag`) of the values the templates saw: the chart's with those given over them."""
    same_as_revision: int | None = None
    """A rollback: the current revision is newer than this one, which is still in the history, with its chart and given values."""


def needs(check: HelmReleaseCheck, target: ObjectRef | None) -> list[ObjectRef]:
    return [ObjectRef(kind="Secret", namespace=check.namespace)]


def run_helm_release(check: HelmReleaseCheck, subject: Subject) -> CheckResult:
    namespace = check.namespace or getattr(subject.cluster, "namespace", None) or subject.namespace  # live: the exercise's
    try:
        revisions = helm.history(subject.objects, check.release, check.namespace)
    except helm.ReleaseError as err:
        return result(check, subject, False, subject.tell(MESSAGES, "unreadable", release=check.release, error=err))
    now = helm.current(revisions)
    if now is None:
        return result(check, subject, False, subject.tell(MESSAGES, "none", release=check.release, namespace=namespace))
    about = dict(release=check.release, version=now.version, status=now.status, chart=now.chart, chart_version=now.chart_version)
    if now.status != check.status:
        return result(check, subject, False, subject.tell(MESSAGES, "status", **about, want=check.status))
    wanted_chart = (check.chart or now.chart, check.chart_version or now.chart_version)
    if (now.chart, now.chart_version) != wanted_chart:
        return result(check, subject, False, subject.tell(MESSAGES, "chart", **about, want="-".join(wanted_chart)))
    if check.revision is not None and not matchers.matches(check.revision, now.version):
        return result(check, subject, False, subject.tell(MESSAGES, "revision", **about, want=matchers.expected_text(check.revision, subject.lang)))
    values = now.values
    shown = []
    for key, matcher in check.values.items():
        found, value = helm.value_at(values, key)
        if not matchers.matches(matcher, value if found else matchers.MISSING):
            have = matchers.show(value) if found else subject.tell(MESSAGES, "unset")
            return result(check, subject, False, subject.tell(MESSAGES, "value", **about, key=key, found=have, want=matchers.expected_text(matcher, subject.lang)))
        shown.append(f"{key}={matchers.show(value)}")
    if check.same_as_revision is not None:
        wrong = _not_the_same(check, subject, revisions, now, about)
        if wrong:
            return result(check, subject, False, wrong)
    return result(check, subject, True, subject.tell(MESSAGES, "ok", **about, values=(": " + ", ".join(shown)) if shown else ""))


def _not_the_same(check: HelmReleaseCheck, subject: Subject, revisions: list, now, about: dict) -> str | None:
    """Why the current revision is not a new one made from revision `same_as_revision`, or None."""
    old = next((r for r in revisions if r.version == check.same_as_revision), None)
    if old is None:
        return subject.tell(MESSAGES, "no-revision", release=check.release, revision=check.same_as_revision,
                            versions=", ".join(str(r.version) for r in revisions))
    if now.version <= old.version:
        return subject.tell(MESSAGES, "not-after", **about, revision=old.version)
    for what, found, want in (("chart", f"{now.chart}-{now.chart_version}", f"{old.chart}-{old.chart_version}"),
                              ("values", now.values, old.values)):
        if found != want:
            return subject.tell(MESSAGES, "differs", **about, what=what, found=matchers.show(found), want=matchers.show(want), revision=old.version)
    return None


TYPE = CheckType("helm_release", HelmReleaseCheck, run_helm_release, needs)
