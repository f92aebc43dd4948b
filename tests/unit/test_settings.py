"""config.yaml's settings are checked without pydantic (the app reads them before its first screen): every wrong
entry is refused with its name and where it is, every right one is taken as written."""

from __future__ import annotations

import pytest

from app.config import ConfigError, Settings, read_settings

WRONG = [
    ("lang: fr\n", "lang: expected en or ko", 1),
    ("theme: 5\n", "theme: expected text", 1),
    ("context: [a]\n", "context: expected text", 1),
    ("kubeconfig: {a: 1}\n", "kubeconfig: expected text", 1),
    ("allowed_contexts: prod\n", "allowed_contexts: expected a list of context names", 1),
    ("allowed_contexts:\n  - ok\n  - 7\n", "allowed_contexts.1: expected a context name", 3),
    ("theme: nord\ncolour: red\n", "unknown setting 'colour'", 2),
]


@pytest.mark.parametrize(("text", "message", "line"), WRONG, ids=[w[1] for w in WRONG])
def test_a_wrong_entry_is_named_with_its_line(tmp_path, text, message, line):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert str(caught.value).startswith(f"{path}:{line}: {message}"), caught.value


def test_every_setting_is_taken_as_written(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("lang: ko\ntheme: nord\nallowed_contexts: [prod, lab]\ncontext: lab\nkubeconfig: /tmp/k\nkeys: {check: f5}\n", encoding="utf-8")
    assert read_settings(path).settings == Settings(lang="ko", theme="nord", allowed_contexts=["prod", "lab"], context="lab",
                                                    kubeconfig="/tmp/k", keys={"check": "f5"})


def test_null_entries_mean_the_default(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("lang:\ntheme:\nallowed_contexts:\nkeys:\n", encoding="utf-8")
    assert read_settings(path).settings == Settings()


def test_replace_gives_a_new_settings_and_leaves_the_old():
    old = Settings(lang="en")
    new = old.replace(lang="ko", theme="nord")
    assert (old.lang, old.theme, new.lang, new.theme) == ("en", None, "ko", "nord")
