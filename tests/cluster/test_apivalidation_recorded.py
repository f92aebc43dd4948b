"""The recorded API server verdicts on tests/fixtures/apivalidation still hold on the live control plane.

The offline tests (tests/graders/test_apivalidation.py) trust the recording; this re-asks a real kube-apiserver.
"""

from __future__ import annotations

from tests.graders.apiserver_verdicts import differences


def test_recorded_verdicts_hold_on_the_live_server(control_plane):
    changed = differences(str(control_plane.kubeconfig), control_plane.context)
    assert not changed, "re-record with `python -m tests.graders.apiserver_verdicts`: " + "; ".join(
        f"{name}: recorded {old}, now {new}" for name, (old, new) in sorted(changed.items())[:5])


def test_the_schema_requires_only_what_the_server_requires(control_plane):
    """Each field the OpenAPI schema calls required, taken out of an ok_ fixture, is refused by the server."""
    from tests.graders.apiserver_verdicts import needlessly_required

    assert needlessly_required(str(control_plane.kubeconfig), control_plane.context) == [], \
        "add these to graders/schema.py _DEFAULTED, with an ok_ fixture each"


def test_mutated_answers_get_the_servers_verdict(control_plane):
    """Every ok_ fixture with one value deleted, emptied, re-cased or out of range: the offline grader accepts exactly
    the mutants the live API server accepts (about 4,000 dry runs, a few minutes)."""
    from tests.graders.apiserver_verdicts import differential

    assert differential(str(control_plane.kubeconfig), control_plane.context) == []
