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
from typing import Any, Callable

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


class _Deferred(ModuleType):
    """Stands in for a module while kube_config is imported; afterwards its attributes come from the real module."""

    def __getattr__(self, attr: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            raise AttributeError(f"{self.__name__}.{attr} is not there while kube_config is being imported")
        return getattr(importlib.import_module(self.__name__), attr)


def _deferred_call(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call


def kube_config() -> ModuleType:
    """`kubernetes.config.kube_config`: the client's kubeconfig loader (exec plugins, OIDC, client certificates).

    It imports `requests_oauthlib`, `oauthlib.oauth2` (and with them `requests`) and the ApiClient (and with it
    `dateutil`) at its top, for the OIDC token refresh only: stand-ins are bound there, which import the real
    thing when an OIDC refresh calls them.
    """
    _prepare()
    with _lock:
        if "kubernetes.config.kube_config" in sys.modules:
            return sys.modules["kubernetes.config.kube_config"]
        standing_in = [name for name in ("requests_oauthlib", "oauthlib.oauth2") if name not in sys.modules]
        if "requests_oauthlib" in standing_in:
            sys.modules["requests_oauthlib"] = _Deferred("requests_oauthlib")
            sys.modules["requests_oauthlib"].OAuth2Session = _deferred_call("requests_oauthlib", "OAuth2Session")  # type: ignore[attr-defined]
        if "oauthlib.oauth2" in standing_in:
            parent = importlib.import_module("oauthlib")
            sys.modules["oauthlib.oauth2"] = _Deferred("oauthlib.oauth2")
            parent.oauth2 = sys.modules["oauthlib.oauth2"]  # type: ignore[attr-defined]
        client = sys.modules["kubernetes.client"]
        api_client_later = "ApiClient" not in client.__dict__  # kube_config calls it for OIDC only; api_client imports dateutil
        if api_client_later:
            client.ApiClient = _deferred_call("kubernetes.client.api_client", "ApiClient")  # type: ignore[attr-defined]
        try:
            return importlib.import_module("kubernetes.config.kube_config")
        finally:
            for name in standing_in:
                del sys.modules[name]
            if api_client_later:
                del client.ApiClient  # the real class, for anyone who asks for it later


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
