"""The parts of the kubernetes client a live check uses (kubeconfig loading, REST, exec), without importing the rest.

`import kubernetes` runs the package's `__init__`, which imports every API class and ~800 models
(and the dynamic client, watch, leader election ...): most of a `kubedojo check --live` process's
time before its first request. Here the packages `kubernetes`, `kubernetes.client`, `.models`,
`.config`, `.utils` and `.stream` are first registered as *light* packages: their submodules import
as usual, and the first access to anything else runs the real `__init__` into the same module, so
code that later does `from kubernetes.client import CoreV1Api` or `import kubernetes` still works.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any

LIGHT_PACKAGES: dict[str, dict[str, tuple[str, str]]] = {
    "kubernetes": {},
    "kubernetes.client": {"ApiClient": ("api_client", "ApiClient"), "Configuration": ("configuration", "Configuration")},
    "kubernetes.client.models": {},
    "kubernetes.config": {},
    "kubernetes.utils": {"create_from_yaml": ("create_from_yaml", "create_from_yaml")},
    "kubernetes.stream": {"stream": ("stream", "stream"), "portforward": ("stream", "portforward")},
}
"""Package -> names it offers without its `__init__` (name -> (submodule, attribute)); the names listed are
those of the real `__init__` that would otherwise be taken for the submodule of the same name."""
_lock = threading.RLock()


def _light(name: str, names: dict[str, tuple[str, str]]) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}")
    module = importlib.util.module_from_spec(spec)  # not executed: its __init__ waits for __getattr__

    def __getattr__(attr: str) -> Any:
        with _lock:
            if attr in names:
                submodule, real = names[attr]
                value = getattr(importlib.import_module(f"{name}.{submodule}"), real)
                setattr(module, attr, value)
                return value
            if importlib.util.find_spec(f"{name}.{attr}") is not None:
                return importlib.import_module(f"{name}.{attr}")
            if not module.__dict__.get("_kubedojo_complete"):
                module.__dict__["_kubedojo_complete"] = True
                del module.__dict__["__getattr__"]
                spec.loader.exec_module(module)  # the real __init__, into this module
                return getattr(module, attr)
        raise AttributeError(f"module {name!r} has no attribute {attr!r}")

    module.__dict__["__getattr__"] = __getattr__
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


def _prepare() -> None:
    with _lock:
        if "kubernetes" in sys.modules:
            return  # imported already (light or whole): its submodules are there to use
        for name, names in LIGHT_PACKAGES.items():
            _light(name, names)


def kube_config() -> ModuleType:
    """`kubernetes.config.kube_config`: the client's kubeconfig loader (exec plugins, OIDC, client certificates)."""
    _prepare()
    return importlib.import_module("kubernetes.config.kube_config")


def configuration_class() -> type:
    _prepare()
    return importlib.import_module("kubernetes.client.configuration").Configuration


def rest_client(configuration: Any) -> Any:
    """The client's REST layer (urllib3 with the configuration's TLS, proxy and pool settings)."""
    _prepare()
    return importlib.import_module("kubernetes.client.rest").RESTClientObject(configuration)


def ws_client() -> ModuleType:
    """`kubernetes.stream.ws_client`: the websocket channels of exec."""
    _prepare()
    return importlib.import_module("kubernetes.stream.ws_client")


def load_configuration(kubeconfig: str, context: str) -> Any:
    """A client Configuration for `context` of the kubeconfig file(s) (os.pathsep-separated, as $KUBECONFIG)."""
    configuration = configuration_class()()
    kube_config().load_kube_config(config_file=kubeconfig, context=context, client_configuration=configuration, persist_config=False)
    return configuration


def auth_headers(configuration: Any) -> dict[str, str]:
    """The Authorization header (a token, refreshed by the exec plugin or OIDC hook when it expires), if any."""
    setting = configuration.auth_settings().get("BearerToken")
    return {"authorization": setting["value"]} if setting and setting.get("value") else {}
