"""The Helm exercises of cka-core and the chart they ship: the starting releases in `live.setup` are the chart as it is
on disk (else `python -m tests.cluster.helm setups` makes them again), and lint --live knows how to run their answers."""

from __future__ import annotations

import base64

import pytest
import yaml

from exercises.loader import BUNDLED_PACKS, load_exercise
from graders.live_selftest import answer_kind, nothing_to_test
from graders.meaning import helm

PACK = BUNDLED_PACKS / "cka-core"
CHART = PACK / "charts" / "shop"
HELM_EXERCISES = [load_exercise(PACK / f"{name}.yaml")[0] for name in ("cluster-helm-install", "cluster-helm-upgrade", "cluster-helm-rollback")]


def test_the_chart_is_only_yaml_files_the_wheel_carries():
    files = sorted(str(p.relative_to(CHART)) for p in CHART.rglob("*") if p.is_file())
    assert files == ["Chart.yaml", "templates/deployment.yaml", "templates/service.yaml", "values.yaml"]


@pytest.mark.parametrize("exercise", HELM_EXERCISES, ids=lambda e: e.id)
def test_a_helm_exercise_is_live_and_its_answers_are_helm_lines(exercise):
    assert exercise is not None and exercise.live is not None
    assert answer_kind(exercise) == "helm"
    assert nothing_to_test(exercise) is None
    assert any(c.type == "helm_release" for c in exercise.live.checks)


@pytest.mark.parametrize("exercise", [e for e in HELM_EXERCISES if e.live.setup], ids=lambda e: e.id)
def test_the_starting_releases_are_the_chart_on_disk(exercise):
    secrets = [o for o in exercise.live.setup if helm.is_release_secret(o)]
    assert secrets, "the setup has no release Secret"
    chart_meta = yaml.safe_load((CHART / "Chart.yaml").read_text())
    templates = {f"templates/{p.name}": p.read_text() for p in (CHART / "templates").glob("*.yaml")}
    for secret in secrets:
        body = helm.decode(secret["data"]["release"])
        assert body["namespace"] == exercise.live.namespace
        chart = body["chart"]
        assert {k: chart["metadata"][k] for k in ("name", "version", "appVersion")} == {k: chart_meta[k] for k in ("name", "version", "appVersion")}
        assert {t["name"]: base64.b64decode(t["data"]).decode() for t in chart["templates"]} == templates, \
            "the chart changed: run `python -m tests.cluster.helm setups` and paste the new setups"
        if body["version"] == 1:  # an upgrade with --reuse-values stores the values it reused as the chart's
            assert chart["values"] == yaml.safe_load((CHART / "values.yaml").read_text())
    now = helm.current(helm.history(exercise.live.setup, "web"))
    manifest = [o for o in yaml.safe_load_all(helm.decode(next(s for s in secrets if helm.revision(s).version == now.version)["data"]["release"])["manifest"]) if o]
    objects = [o for o in exercise.live.setup if not helm.is_release_secret(o)]
    strip = lambda o: {**o, "metadata": {k: v for k, v in o["metadata"].items() if k != "annotations"}}  # noqa: E731
    assert [strip(o) for o in objects] == manifest, "the setup's objects are not what the deployed revision made"
