"""The user's settings (config.yaml in the platformdirs config dir), read safely, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError



class Settings(BaseModel):
    """What a user may set in config.yaml."""

    model_config = ConfigDict(extra="forbid")

    lang: Literal["en", "ko"] | None = None
    """Language of the exercises and the interface; unset: from the environment (LANG)."""
    theme: str | None = None
    """A Textual theme name (e.g. `textual-dark`, `nord`, `gruvbox`)."""
    allowed_contexts: list[str] = Field(default_factory=list)
    """kubeconfig contexts besides `kind-*` that kubedojo may change (setup, reset)."""
    context: str | None = None
    """The kubeconfig context to use for live exercises; unset: the current context."""
    kubeconfig: str | None = None
    """The kubeconfig file; unset: $KUBECONFIG or ~/.kube/config."""
    keys: dict[str, str] = Field(default_factory=dict)
    """Binding id -> keys, to remap the app's keys (e.g. `check: f5`)."""


def config_dir() -> Path:
    override = os.environ.get("KUBEDOJO_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("kubedojo", appauthor=False))


def data_dir() -> Path:
    """kubedojo's data folder; exercises.loader decides where it is (imported here only when asked)."""
    from exercises.loader import user_data_dir

    return user_data_dir()


def config_path() -> Path:
    return config_dir() / "config.yaml"


class ConfigError(Exception):
    """config.yaml is unreadable or invalid; the message says where."""


def load_settings(path: Path | None = None) -> Settings:
    """The settings; a missing file means defaults, a broken one raises ConfigError."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {getattr(err, 'problem', err)}") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {field}: {first['msg']}") from None


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically: a crash mid-write never leaves a half file."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = settings.model_dump(exclude_defaults=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        yaml.safe_dump(data, out, allow_unicode=True, sort_keys=True)
    os.replace(tmp, path)


def default_lang(settings: Settings | None = None) -> str:
    if settings and settings.lang:
        return settings.lang
    for var in ("KUBEDOJO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"
