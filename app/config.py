"""The user's settings (config.yaml in the platformdirs config dir): read bounded and safely, one value written at a time."""

from __future__ import annotations

import json
import os
import tempfile
import dataclasses
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

MAX_CONFIG_BYTES = 64 * 1024
"""A config file is a few lines; anything larger is a mistake (or /dev/zero) and is refused unread."""

LANGS = ("en", "ko")


@dataclass
class Settings:
    """What a user may set in config.yaml.

    A plain dataclass checked by `from_mapping`, not a pydantic model: the app reads it before its first screen, and
    importing pydantic and building a model then would cost a third of the start-up (the exercise models come later,
    in a worker).
    """

    lang: Literal["en", "ko"] | None = None
    """Language of the exercises and the interface; unset: from the environment (LANG)."""
    theme: str | None = None
    """A Textual theme name (e.g. `textual-dark`, `nord`, `gruvbox`)."""
    allowed_contexts: list[str] = field(default_factory=list)
    """kubeconfig contexts besides `kind-*` that kubedojo may change (setup, reset)."""
    context: str | None = None
    """The kubeconfig context to use for live exercises; unset: the current context."""
    kubeconfig: str | None = None
    """The kubeconfig file; unset: $KUBECONFIG or ~/.kube/config."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, to remap the app's keys (e.g. `check: f5`)."""

    @classmethod
    def from_mapping(cls, data: Any) -> Settings:
        """The settings in `data` (a parsed config file), or SettingsInvalid naming the first entry that is wrong."""
        if not isinstance(data, dict):
            raise SettingsInvalid((), "expected a mapping of settings (`key: value` lines)")
        names = {f.name for f in fields(cls)}
        for name in data:
            if name not in names:
                raise SettingsInvalid((name,), f"unknown setting {str(name)!r}", unknown=True)
        lang = data.get("lang")
        if lang is not None and lang not in LANGS:
            raise SettingsInvalid(("lang",), f"expected en or ko, found {_shown(lang)}")
        for name in ("theme", "context", "kubeconfig"):
            if data.get(name) is not None and not isinstance(data[name], str):
                raise SettingsInvalid((name,), f"expected text, found {_shown(data[name])}")
        contexts = data.get("allowed_contexts")
        if contexts is None:
            contexts = []
        if not isinstance(contexts, list):
            raise SettingsInvalid(("allowed_contexts",), f"expected a list of context names, found {_shown(contexts)}")
        for index, name in enumerate(contexts):
            if not isinstance(name, str):
                raise SettingsInvalid(("allowed_contexts", index), f"expected a context name, found {_shown(name)}")
        keys = data.get("keys")
        if keys is None:
            keys = {}
        if not isinstance(keys, dict):
            raise SettingsInvalid(("keys",), f"expected a mapping of binding id to keys, found {_shown(keys)}")
        for binding_id, value in keys.items():
            if not isinstance(binding_id, str) or not isinstance(value, str):
                raise SettingsInvalid(("keys", str(binding_id)), f"expected a key name, found {_shown(value)}")
        return cls(lang=lang, theme=data.get("theme"), allowed_contexts=list(contexts), context=data.get("context"),
                   kubeconfig=data.get("kubeconfig"), keys=dict(keys))

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


class SettingsInvalid(ValueError):
    """An entry of config.yaml that is not a setting, or not of its setting's type; `loc` is where it is."""

    def __init__(self, loc: tuple[str | int, ...], message: str, unknown: bool = False) -> None:
        super().__init__(message)
        self.loc, self.message, self.unknown = loc, message, unknown


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)[:40]


def config_dir() -> Path:
    override = os.environ.get("KUBEDOJO_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("kubedojo", appauthor=False))


def data_dir() -> Path:
    """kubedojo's data folder; exercises.dirs decides where it is."""
    from exercises.dirs import user_data_dir

    return user_data_dir()


def config_path() -> Path:
    return config_dir() / "config.yaml"


class ConfigError(Exception):
    """config.yaml is unreadable or invalid; the message says where."""


@dataclass
class SettingsFile:
    """The settings as read, with what was wrong in entries that were left out, and where each value is."""

    path: Path
    settings: Settings
    warnings: list[str] = field(default_factory=list)
    """Entries left out (the default is used for them), each with its file and line."""
    lines: Any = None
    """The file's LineMap (graders.source), or None for a missing or empty file."""

    def where(self, *loc: str | int) -> str:
        line = self.lines.line_for(loc) if self.lines is not None else None
        return f"{self.path}:{line}" if line else str(self.path)


def load_settings(path: Path | None = None) -> Settings:
    """The settings; a missing file means defaults, a broken one raises ConfigError."""
    return read_settings(path).settings


def read_settings(path: Path | None = None) -> SettingsFile:
    """The settings and what was left out of them; a missing file means defaults, a broken one raises ConfigError.

    The file is read as a pack file is: a regular file only (a FIFO or a device is refused unopened),
    at most 64 KiB, parsed by the bounded safe YAML reader (no alias bombs, no deep nesting).
    """
    path = path or config_path()
    text = _read_text(path)
    data, lines = _parse(text, path)
    loaded = SettingsFile(path, Settings(), lines=lines)
    data = dict(data)
    data["keys"] = _key_entries(data.get("keys"), loaded)
    try:
        loaded.settings = Settings.from_mapping(data)
    except SettingsInvalid as err:
        name = ".".join(str(p) for p in err.loc)
        message = err.message if err.unknown or not name else f"{name}: {err.message}"
        raise ConfigError(f"{loaded.where(*err.loc)}: {message}") from None
    return loaded


def _read_text(path: Path) -> str:
    from graders.files import FileReadError, read_text_file

    try:
        return read_text_file(path, MAX_CONFIG_BYTES)
    except FileReadError as err:
        if not os.path.exists(path):
            return ""
        raise ConfigError(str(err)) from None


def _parse(text: str, path: Path) -> tuple[dict[str, Any], Any]:
    """The file's mapping and its LineMap, by the same bounded reader as packs and answers."""
    if not text.strip():
        return {}, None
    from graders.source import parse_documents

    documents, errors = parse_documents(text)
    if errors:
        first = errors[0]
        message = first.message.removeprefix(f"line {first.line}: ") if first.line else first.message
        message = message.replace("the answer", "the file")
        if first.hint and "Kubernetes object" in first.hint:
            message = "expected a mapping of settings (`key: value` lines)"
        where = f"{path}:{first.line}" if first.line else str(path)
        raise ConfigError(f"{where}: not valid YAML: {message}")
    if not documents:
        return {}, None
    if len(documents) > 1:
        raise ConfigError(f"{path}:{documents[1].start_line}: expected one YAML document, found {len(documents)}")
    return documents[0].obj, documents[0].lines


def _key_entries(raw: Any, loaded: SettingsFile) -> dict[str, str]:
    """The well-formed entries of `keys:`; each bad one is a warning and keeps its default key."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        loaded.warnings.append(f"{loaded.where('keys')}: keys: expected a mapping of binding id to keys "
                               "(e.g. `check: f5`); the default keys are used")
        return {}
    entries = {}
    for binding_id, keys in raw.items():
        if not isinstance(binding_id, str) or not isinstance(keys, str) or not keys.strip():
            shown = json.dumps(keys, ensure_ascii=False, default=str)[:40]
            loaded.warnings.append(f"{loaded.where('keys', str(binding_id))}: keys.{binding_id}: {shown} is not a key "
                                   "name (write one such as f5 or ctrl+k); the default key is kept")
            continue
        entries[binding_id] = keys
    return entries


# --- writing one value -------------------------------------------------------------------

def save_setting(name: str, value: str | bool | int | None, path: Path | None = None) -> None:
    """Set one top-level value, leaving the rest of the file (comments, order, other keys) as it is.

    The file is edited where the value stands, re-read to prove the edit, and written atomically to where it
    really is: a symlinked config stays a symlink (its target is replaced). A broken file raises ConfigError
    and is left untouched; a failed write raises OSError.
    """
    if name not in {f.name for f in fields(Settings)} or isinstance(getattr(Settings(), name), (list, dict)):
        raise ValueError(f"{name} is not a setting with one value")
    path = path or config_path()
    text = _read_text(path)
    read_settings_text(text, path)  # a broken file is never rewritten
    edited = _with_value(text, name, value, path)
    try:
        proof = read_settings_text(edited, path)
    except ConfigError as err:
        raise ConfigError(f"{path}: {name} could not be set without breaking the file ({err})") from None
    if getattr(proof, name) != value:
        raise ConfigError(f"{path}: {name} could not be set safely; edit the file by hand")
    _write_atomically(Path(os.path.realpath(path)), edited)


def read_settings_text(text: str, path: Path) -> Settings:
    data, _lines = _parse(text, path)
    try:
        return Settings.from_mapping(data)
    except SettingsInvalid as err:
        raise ConfigError(err.message) from None


def _scalar(value: str | bool | int | None) -> str:
    """The value as one line of YAML that reads back as itself."""
    import yaml

    if isinstance(value, str) and value and value == value.strip() and "#" not in value and ": " not in value:
        try:
            if yaml.safe_load(value) == value and "\n" not in value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _with_value(text: str, name: str, value: str | bool | int | None, path: Path) -> str:
    """The text with `name: value` set: in place when the key is there, else added to the mapping."""
    import yaml
    from yaml.nodes import MappingNode, ScalarNode

    rendered = _scalar(value)
    root = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None  # bounded: _parse read it first
    if root is None:
        return text + ("" if not text or text.endswith("\n") else "\n") + f"{name}: {rendered}\n"
    if not isinstance(root, MappingNode):
        raise ConfigError(f"{path}: expected a mapping of settings")
    for key, node in reversed(root.value):
        if not (isinstance(key, ScalarNode) and key.value == name):
            continue
        start, end = node.start_mark.index, node.end_mark.index
        if start < key.end_mark.index:
            raise ConfigError(f"{path}:{key.start_mark.line + 1}: {name} is an alias; edit the file by hand")
        old = text[start:end]
        if start == end:  # `name:` with nothing after it
            rendered = " " + rendered
        return text[:start] + rendered + old[len(old.rstrip()):] + text[end:]
    if root.flow_style:
        close = text.rindex("}", 0, root.end_mark.index)
        before = text[:close].rstrip()
        comma = "" if before.endswith("{") else ", "
        return before + f"{comma}{name}: {rendered}" + text[close:]
    indent = " " * root.start_mark.column
    return text + ("" if text.endswith("\n") else "\n") + f"{indent}{name}: {rendered}\n"


def _write_atomically(target: Path, text: str) -> None:
    """A temporary file beside the target, renamed over it: a crash mid-write never leaves a half file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o7777 if target.exists() else None
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".config-", suffix=".yaml")
    except OSError as err:  # named by the file the user knows, not a temporary one
        raise OSError(err.errno, err.strerror, str(target)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def default_lang(settings: Settings | None = None) -> str:
    if settings and settings.lang:
        return settings.lang
    for var in ("KUBEDOJO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"
