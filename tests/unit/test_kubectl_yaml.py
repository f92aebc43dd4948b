"""Offline kubectl output for the answer: which commands run (client dry runs only), and what is said otherwise."""

from __future__ import annotations

import shutil

import pytest

from app.kubectl_yaml import dry_run_argv, kubectl_yaml

RUN = [
    ("kubectl run web --image=nginx --dry-run=client", ["kubectl", "run", "web", "--image=nginx", "--dry-run=client", "-o", "yaml"]),
    ("k create deploy web --image=nginx --dry-run client -o yaml", ["kubectl", "create", "deploy", "web", "--image=nginx", "--dry-run", "client", "-o", "yaml"]),
    ("kubectl create cm c --from-literal=a=b --dry-run=client -ojson", ["kubectl", "create", "cm", "c", "--from-literal=a=b", "--dry-run=client", "-ojson"]),
    ("kubectl create ns x --dry-run=client --output=yaml", ["kubectl", "create", "ns", "x", "--dry-run=client", "--output=yaml"]),
]

REFUSED = [
    ("kubectl run web --image=nginx", "--dry-run=client"),
    ("kubectl run web --image=nginx --dry-run=server", "--dry-run=client"),
    ("kubectl run web --image=nginx --dry-run=none", "--dry-run=client"),
    ("kubectl run web --image=nginx --dry-run=client -o name", "-o name is not YAML"),
    ("kubectl run web --image=nginx --dry-run=client -o yaml > pod.yaml", "needs a shell"),
    ("kubectl run web --image=nginx --dry-run=client | tee x", "needs a shell"),
    ("rm -rf / --dry-run=client", "only kubectl"),
    ("kubectl run \"web", "cannot be read"),
    ("   ", "type a kubectl command"),
]


@pytest.mark.parametrize("command,argv", RUN)
def test_client_dry_runs_are_run_with_yaml_output(command, argv):
    assert dry_run_argv(command) == (argv, "")


@pytest.mark.parametrize("command,why", REFUSED)
def test_anything_else_is_refused_with_the_reason(command, why):
    argv, said = dry_run_argv(command)
    assert argv is None and why in said


def fake_kubectl(folder, body: str) -> str:
    folder.mkdir(exist_ok=True)
    script = folder / "kubectl"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return str(folder)


def test_without_kubectl_on_path_it_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = kubectl_yaml("kubectl run web --image=nginx --dry-run=client")
    assert not result.yaml and "kubectl is not on PATH" in result.error


def test_a_kubectl_that_hangs_is_given_up(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", fake_kubectl(tmp_path / "bin", f"exec {shutil.which('sleep')} 30"))
    result = kubectl_yaml("kubectl expose deploy web --port=80 --dry-run=client", timeout=0.5)
    assert not result.yaml and "no answer in 0.5 s" in result.error


def test_kubectl_errors_are_passed_on(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", fake_kubectl(tmp_path / "bin", 'echo "error: unknown flag: --imag" >&2; exit 1'))
    result = kubectl_yaml("kubectl run web --imag=nginx --dry-run=client")
    assert result.error == "kubectl said: error: unknown flag: --imag"


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not on PATH")
def test_the_real_kubectl_prints_the_deployment():
    import yaml

    result = kubectl_yaml("kubectl create deployment web --image=nginx:1.25 --replicas=3 --dry-run=client")
    assert result.error == ""
    made = yaml.safe_load(result.yaml)
    assert made["kind"] == "Deployment" and made["spec"]["replicas"] == 3
