"""What the instructor tests share: the real `kubedojo` command from this tree, with its own data and config folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CLI_HANG_BOUND_SECONDS = 120.0
"""Per `kubedojo` process on a loaded machine (a lint self-test included): only a hang trips it."""


def kubedojo(*args: str, home: Path, extra_path: str = "", stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), extra_path) if p),
                   "KUBEDOJO_DATA_DIR": str(home / "data"), "KUBEDOJO_CONFIG_DIR": str(home / "config"),
                   "COLUMNS": "250", "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, cwd=home, env=environment,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL, timeout=CLI_HANG_BOUND_SECONDS)


def json_out(done: subprocess.CompletedProcess[str]) -> Any:
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return json.loads(done.stdout)
