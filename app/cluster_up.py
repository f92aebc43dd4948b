"""Bringing up the kind practice cluster, for `kubedojo cluster up` and the app alike: steps, progress, outcome."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.practice import KIND_CLUSTER

KIND_CONTEXT = f"kind-{KIND_CLUSTER}"
KIND_CONFIG = Path(__file__).parent / "data" / "kind-config.yaml"
NODES = 3
"""The kind config's nodes: one control plane, two workers."""

Say = Callable[[str], None]
Runner = Callable[[Sequence[str], Say], int]
"""Runs a command, passes each line it prints to the callback, and returns its exit status."""


@dataclass(frozen=True)
class UpResult:
    """How `cluster up` ended: ok, or the reason in one sentence (and the nodes it saw)."""

    ok: bool
    message: str
    nodes: tuple[str, ...] = ()


def run_streaming(argv: Sequence[str], say: Say) -> int:
    """A command's output, stdout and stderr together, line by line (kind's spinner redraws become lines)."""
    try:
        process = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    except OSError as err:
        say(f"{argv[0]}: {err.strerror or err}")
        return 127
    assert process.stdout is not None
    pending = b""
    while chunk := process.stdout.read1(4096):  # type: ignore[attr-defined]
        pending += chunk
        *lines, pending = pending.replace(b"\r", b"\n").split(b"\n")
        for line in lines:
            if line.strip():
                say(line.decode("utf-8", "replace").rstrip())
    if pending.strip():
        say(pending.decode("utf-8", "replace").rstrip())
    return process.wait()


@dataclass
class ClusterUp:
    """The steps of `cluster up`; `run`, `connect` and `missing` are swapped for fakes in tests."""

    run: Runner = run_streaming
    connect: Callable[[str], Any] | None = None
    """graders.cluster.connect by default (imported when used: it brings the kubernetes client)."""
    missing: Callable[[], str | None] | None = None
    """What stops kind from working here (graders.practice.missing_tools by default)."""
    timeout: float = 300.0
    log: list[str] = field(default_factory=list)
    lang: str = "en"
    """The language of kubedojo's own lines and of the outcome (kind's and docker's lines stay as they print them)."""

    def _say(self, en: str, ko: str) -> str:
        return ko if self.lang == "ko" else en

    def __call__(self, say: Say) -> UpResult:
        from graders.practice import missing_tools, node_ready

        def tell(line: str) -> None:
            self.log.append(line)
            say(line)

        problem = (self.missing or (lambda: missing_tools("docker", "kind", lang=self.lang)))()
        if problem:
            return UpResult(False, problem)
        listed: list[str] = []
        if self.run(["kind", "get", "clusters"], listed.append) != 0:
            for line in listed:
                tell(line)
            return UpResult(False, self._say("`kind get clusters` failed (its output is above)",
                                             "`kind get clusters`가 실패했습니다 (출력은 위에 있습니다)"))
        if KIND_CLUSTER in " ".join(listed).split():
            tell(self._say(f"kind cluster {KIND_CLUSTER} already exists; context {KIND_CONTEXT}",
                           f"kind 클러스터 {KIND_CLUSTER}이(가) 이미 있습니다. 컨텍스트 {KIND_CONTEXT}"))
            self.run(["kind", "export", "kubeconfig", "--name", KIND_CLUSTER], tell)
        else:
            tell(f"$ kind create cluster --name {KIND_CLUSTER}")
            if self.run(["kind", "create", "cluster", "--name", KIND_CLUSTER, "--config", str(KIND_CONFIG)], tell) != 0:
                return UpResult(False, self._say("kind create cluster failed (its output is above)",
                                                 "kind create cluster가 실패했습니다 (출력은 위에 있습니다)"))
        from graders.cluster import ClusterError, describe

        connect = self.connect
        if connect is None:
            from graders.cluster import connect
        start, seen = time.monotonic(), ""

        def all_ready(nodes: list[dict[str, Any]]) -> bool:
            nonlocal seen
            ready = [n for n in nodes if node_ready(n)]
            took = f"{time.monotonic() - start:.0f}"
            line = self._say(f"nodes Ready: {len(ready)}/{len(nodes)} ({took} s)", f"Ready 노드: {len(ready)}/{len(nodes)} ({took}초)")
            if line != seen:
                tell(line)
                seen = line
            return len(nodes) >= NODES and len(ready) == len(nodes)

        try:
            nodes = connect(KIND_CONTEXT).wait_for("Node", None, all_ready, self.timeout)
        except ClusterError as err:
            return UpResult(False, describe(err.problem, self.lang)[0])
        names = tuple(n["metadata"]["name"] for n in nodes)
        if not all_ready(nodes):
            return UpResult(False, self._say(
                f"not every node was Ready after {self.timeout:g} s: `kubectl get nodes` and `kubectl describe node` say why",
                f"{self.timeout:g}초가 지나도 Ready가 아닌 노드가 있습니다: `kubectl get nodes`와 `kubectl describe node`로 이유를 보세요"), names)
        return UpResult(True, self._say(f"cluster {KIND_CLUSTER} is up: context {KIND_CONTEXT}, nodes {', '.join(names)}",
                                        f"클러스터 {KIND_CLUSTER}이(가) 준비되었습니다: 컨텍스트 {KIND_CONTEXT}, 노드 {', '.join(names)}"), names)
