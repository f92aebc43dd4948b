"""The recorded API server verdicts on tests/fixtures/apivalidation still hold on the live control plane.

The offline tests (tests/graders/test_apivalidation.py) trust the recording; this re-asks a real kube-apiserver.
"""

from __future__ import annotations

from tests.graders.apiserver_verdicts import differences


def test_recorded_verdicts_hold_on_the_live_server(control_plane):
    changed = differences(str(control_plane.kubeconfig), control_plane.context)
    assert not changed, "re-record with `python -m tests.graders.apiserver_verdicts`: " + "; ".join(
        f"{name}: recorded {old}, now {new}" for name, (old, new) in sorted(changed.items())[:5])
