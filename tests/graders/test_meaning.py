"""Every evaluator against its table of fixtures (tests/fixtures/meaning/*.yaml); case names say what each shows."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from graders.meaning import binding, cron, env, hpa, images, mounts, netpol, ports, rbac, scheduling, selectors

TABLES = Path(__file__).parent.parent / "fixtures" / "meaning"


def table(name: str, section: str | None = None) -> list[dict[str, Any]]:
    data = yaml.safe_load((TABLES / f"{name}.yaml").read_text(encoding="utf-8"))
    return data[section] if section else data


def cases(name: str, section: str | None = None) -> Any:
    rows = table(name, section)
    return pytest.mark.parametrize("case", rows, ids=[r["name"] for r in rows])


# --- selectors ------------------------------------------------------------------------------


@cases("selectors", "matching")
def test_selector_matching(case):
    parse = selectors.map_selector if case.get("form") == "map" else selectors.label_selector
    chosen = parse(case["selector"])
    for labels in case["selects"]:
        assert chosen.matches(labels), labels
    for labels in case["does_not_select"]:
        assert not chosen.matches(labels), labels
    witness = chosen.witness()
    assert (witness is not None) == bool(case["selects"]) or chosen.everything
    if witness is not None:
        assert chosen.matches(witness)


@cases("selectors", "refused")
def test_selector_refused(case):
    with pytest.raises(selectors.SelectorError):
        selectors.label_selector(case["selector"])


@cases("selectors", "implies")
def test_selector_implication(case):
    narrow, wide = selectors.label_selector(case["narrow"]), selectors.label_selector(case["wide"])
    assert narrow.implies(wide) is case["implies"]


# --- RBAC -------------------------------------------------------------------------------------


@cases("rbac", "rules")
def test_rbac_rules(case):
    for text in case["allows"]:
        request = rbac.parse_request(text)
        assert any(rbac.rule_allows(r, request) for r in case["rules"]), text
    for text in case["denies"]:
        request = rbac.parse_request(text)
        assert not any(rbac.rule_allows(r, request) for r in case["rules"]), text


@cases("rbac", "nothing_more")
def test_rbac_nothing_more(case):
    source = rbac.Source("ClusterRoleBinding b", "ClusterRole r", "", tuple(case["rules"]))
    extras = [grant.text() for grant, _ in rbac.extra_grants([source], [rbac.parse_request(t) for t in case["wanted"]])]
    if "extra_count_at_least" in case:
        assert len(extras) >= case["extra_count_at_least"]
    else:
        assert sorted(extras) == sorted(case["extra"])


@cases("rbac_bindings")
def test_rbac_bindings(case):
    who = rbac.Who(**case["who"])
    found = rbac.sources(case["objects"], who)
    for text in case["allows"]:
        assert rbac.allows(found, rbac.parse_request(text)) is not None, text
    for text in case["denies"]:
        assert rbac.allows(found, rbac.parse_request(text)) is None, text


def test_rbac_requests_read_like_kubectl():
    assert rbac.parse_request("list deployments -n dev") == rbac.Request("list", "deployments", "apps", namespace="dev")
    assert rbac.parse_request("get nodes -n dev") == rbac.Request("get", "nodes")
    assert rbac.parse_request("get pods/log web", "dev") == rbac.Request("get", "pods", "", "log", "web", "dev")
    assert rbac.parse_request("get pod -A", "dev") == rbac.Request("get", "pods")
    with pytest.raises(rbac.RequestError):
        rbac.parse_request("get")


# --- NetworkPolicy ------------------------------------------------------------------------------


def peer(value: dict[str, Any]) -> netpol.Peer:
    if "ip" in value:
        return netpol.Address(value["ip"])
    return netpol.Pod(value["namespace"], value.get("labels") or {}, value.get("namespace_labels") or {}, value.get("ports") or {})


@cases("netpol")
def test_network_policy_reach(case):
    found = netpol.policies(case["policies"])
    for row in case["reach"]:
        allowed, _ = netpol.may_reach(found, peer(row["from"]), peer(row["to"]), row.get("protocol", "TCP"), row["port"])
        assert allowed is row["allowed"], row


@cases("netpol_nothing_else")
def test_network_policy_nothing_else(case):
    found = netpol.policies(case["policies"])
    wanted = [netpol.Wanted.of(w.get("namespace", ""), w.get("labels"), cidr=w.get("cidr"),
                               ports=netpol._port_ranges(w.get("ports"))) for w in case["wanted"]]
    widened = netpol.beyond_ingress(found, peer(case["to"]), wanted)  # type: ignore[arg-type]
    assert len(widened) == case["widened"], [w.text() for w in widened]


# --- mounts and env ---------------------------------------------------------------------------


@cases("mounts")
def test_mounts(case):
    for path, expected in case["sees"].items():
        seen = mounts.sees(case["spec"], case["container"], path)
        got = {"kind": seen.origin.kind, "name": seen.origin.name, "key": seen.origin.key, "sub_path": seen.origin.sub_path, "present": seen.present}
        if "read_only" in expected:
            got["read_only"] = seen.read_only
        want = {"kind": "", "name": "", "key": "", "sub_path": "", "present": True, **expected}
        assert got == want, path


@cases("env")
def test_env(case):
    for name, expected in case["vars"].items():
        value = env.env_value(case["container"], name)
        want = env.EnvValue(**{"kind": "", **expected})
        assert value == want, name


# --- ports --------------------------------------------------------------------------------------


@cases("ports", "resolve")
def test_port_resolution(case):
    spec = table("ports", "pod")
    assert ports.container_port(spec, case["port"], case.get("protocol", "TCP"), case.get("container")) == case["number"]


@cases("ports", "routes")
def test_service_routing(case):
    spec = table("ports", "pod")
    routing = ports.routing(case["service"], case["labels"], spec)
    assert routing.selects is case.get("selects", True)
    assert routing.why_not == case.get("why_not", "")
    for port, target in (case.get("routes") or {}).items():
        assert next(r.target for r in routing.routes if r.port == port) == target


# --- scheduling ---------------------------------------------------------------------------------


@cases("scheduling")
def test_scheduling(case):
    for node in case["fits"]:
        verdict = scheduling.fits(case["spec"], scheduling.node(node), case.get("daemonset", False))
        assert verdict.fits, (node, verdict.reason)
        assert verdict.evicted_after == node.get("evicted_after")
    for node in case["does_not_fit"]:
        verdict = scheduling.fits(case["spec"], scheduling.node(node), case.get("daemonset", False))
        assert not verdict.fits, node
        assert verdict.reason[0]


# --- cron ---------------------------------------------------------------------------------------


@cases("cron", "same")
def test_cron_same(case):
    assert cron.same_times(case["a"], case["b"])


@cases("cron", "different")
def test_cron_different(case):
    assert not cron.same_times(case["a"], case["b"])


@cases("cron", "refused")
def test_cron_refused(case):
    with pytest.raises(cron.CronError):
        cron.parse(case["schedule"])


# --- binding, HPA, images -------------------------------------------------------------------------


@cases("binding", "cases")
def test_binding(case):
    verdict = binding.can_bind(case["claim"], case["volume"], case.get("default_class"))
    assert verdict.binds is case["binds"], verdict.reasons
    assert [key for key, _ in verdict.reasons] == case.get("reasons", [])


@cases("hpa")
def test_hpa(case):
    found = hpa.autoscaler(case["hpa"])
    assert [found.target_kind, found.target_name, found.target_group] == case["target"]
    assert (found.min_replicas, found.max_replicas) == (case["min"], case["max"])
    wanted = [hpa.metric_from_check(m) for m in case["metrics"]]
    assert len(found.metrics) == len(wanted)
    assert all(any(m.same(w) for m in found.metrics) for w in wanted)


@cases("images", "same")
def test_same_image(case):
    assert images.same_image(case["found"], case["wanted"])


@cases("images", "different")
def test_different_image(case):
    assert not images.same_image(case["found"], case["wanted"])


# --- disruption budgets ---------------------------------------------------------------------


@cases("disruption")
def test_disruption_budget(case):
    from graders.meaning import disruption

    if case.get("error"):
        with pytest.raises(disruption.BudgetError):
            disruption.allowed_disruptions(case["spec"], case["replicas"])
    else:
        assert disruption.allowed_disruptions(case["spec"], case["replicas"]) == case["allowed"]


# --- Gateway API HTTPRoutes -----------------------------------------------------------------


@cases("httproute", "hosts")
def test_httproute_hostnames(case):
    from graders.meaning import httproute

    assert httproute.host_matches(case["pattern"], case["host"]) is case["matches"]


@cases("httproute", "paths")
def test_httproute_path_matches(case):
    from graders.meaning import httproute

    request = httproute.Request("h", case["path"], headers=case.get("headers", {}))
    routes = [{"metadata": {"name": "r"}, "spec": {"rules": [{"matches": [case["match"]], "backendRefs": [{"name": "b", "port": 1}]}]}}]
    assert httproute.route(request, routes).matched is case["matches"]


# --- the API server's defaults ----------------------------------------------------------------


@cases("defaults")
def test_defaults(case):
    from graders import paths
    from graders.meaning.defaults import with_defaults

    written = copy.deepcopy(case["object"])
    filled = with_defaults(case["object"])
    for expression, value in case["has"].items():
        found = [f.value for f in paths.find(filled, expression)]
        assert found == ([] if value is None else [value]), expression
    assert case["object"] == written  # the input is left alone
