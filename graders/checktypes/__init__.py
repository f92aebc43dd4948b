"""The check types that run on plain objects, offline and live alike: one module each, listed here by hand."""

from __future__ import annotations

from graders.checktypes import (
    binds, count, cron_equals, disruption_budget, env, field, helm_release, hpa, http_route, image, mount, network_access, object_exists, probe, rbac, routes_to, schedulable, selects,
    service_account, unchanged,
)
from graders.checktypes.base import CheckType

REGISTRY: dict[str, CheckType] = {
    t.name: t
    for t in (
        field.TYPE, object_exists.TYPE, count.TYPE, image.TYPE, selects.TYPE, rbac.TYPE, network_access.TYPE, mount.TYPE, env.TYPE,
        routes_to.TYPE, probe.TYPE, schedulable.TYPE, cron_equals.TYPE, binds.TYPE, hpa.TYPE, unchanged.TYPE, disruption_budget.TYPE,
        http_route.TYPE, service_account.TYPE, helm_release.TYPE,
    )
}
"""Check type name -> its module's CheckType. Adding a check type: a module, its fixtures, and its line here."""
