"""Handing a pack out: `pack install` of a folder or an archive (linted, atomic, never overwriting unasked), list, remove, and packs as wheels."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from exercises.install import InstallError, install, installed_packs, remove
from exercises.loader import load_catalog
from exercises.scaffold import new_pack
from tests.unit.instructor_helpers import json_out, kubedojo


@pytest.fixture
def pack(tmp_path) -> Path:
    path = tmp_path / "src" / "week-3"
    path.parent.mkdir()
    new_pack("week-3", path)
    return path


def archive(pack: Path, kind: str) -> Path:
    if kind == "folder":
        return pack
    out = pack.parent / f"week-3.{kind}"
    if kind == "zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(pack.rglob("*")):
                zf.write(file, file.relative_to(pack))  # the pack's files at the archive's top
    else:
        with tarfile.open(out, "w:gz") as tf:
            tf.add(pack, arcname="week-3")  # the pack in one top folder
    return out


@pytest.mark.parametrize("kind", ["folder", "tar.gz", "zip"])
def test_a_pack_installs_from_a_folder_or_an_archive(pack, tmp_path, kind):
    packs = tmp_path / "data" / "packs"
    done = install(archive(pack, kind), packs_dir=packs)
    assert done.pack_id == "week-3" and done.path == packs / "week-3" and done.replaced is None
    assert sorted(p.name for p in packs.iterdir()) == ["week-3"]  # no staging folder left
    assert sorted(p.relative_to(packs / "week-3") for p in (packs / "week-3").rglob("*")) == sorted(p.relative_to(pack) for p in pack.rglob("*"))
    assert [p.meta.id for p in installed_packs(packs)] == ["week-3"]


def test_an_installed_pack_is_never_replaced_unasked(pack, tmp_path):
    packs = tmp_path / "packs"
    install(pack, packs_dir=packs)
    (packs / "week-3" / "my-note.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(InstallError, match=r"pack 'week-3' is installed already \(version 0.1.0\) in .*: --force replaces it"):
        install(pack, packs_dir=packs)
    assert (packs / "week-3" / "my-note.md").exists()
    done = install(pack, force=True, packs_dir=packs)
    assert done.replaced == packs / "week-3" and not (packs / "week-3" / "my-note.md").exists()
    assert sorted(p.name for p in packs.iterdir()) == ["week-3"]


def test_force_replaces_a_pack_of_that_id_in_another_folder(pack, tmp_path):
    packs = tmp_path / "packs"
    shutil.copytree(pack, packs / "copied-by-hand")
    with pytest.raises(InstallError, match="copied-by-hand"):
        install(pack, packs_dir=packs)
    install(pack, force=True, packs_dir=packs)
    assert sorted(p.name for p in packs.iterdir()) == ["week-3"]


def test_a_pack_lint_refuses_is_not_installed(pack, tmp_path):
    text = (pack / "week-3-pod.yaml").read_text(encoding="utf-8")
    (pack / "week-3-pod.yaml").write_text(text.replace('    image: "nginx:1.27"', '    image: "nginx:1.28"'), encoding="utf-8")
    packs = tmp_path / "packs"
    with pytest.raises(InstallError, match="`kubedojo lint` finds 3 error") as refused:
        install(pack, packs_dir=packs)
    assert any("the solution does not pass" in p.message and p.file == str(pack / "week-3-pod.yaml") for p in refused.value.problems)
    assert list(packs.iterdir()) == []


def test_a_folder_with_a_link_is_refused(pack, tmp_path):
    (tmp_path / "secret.txt").write_text("secret\n", encoding="utf-8")
    (pack / "leak.yaml").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(InstallError, match="leak.yaml: a symbolic link"):
        install(pack, packs_dir=tmp_path / "packs")
    assert list((tmp_path / "packs").iterdir()) == []


def test_remove_takes_out_the_pack_and_nothing_else(pack, tmp_path):
    packs = tmp_path / "packs"
    install(pack, packs_dir=packs)
    (packs / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert remove("week-3", packs) == packs / "week-3"
    assert sorted(p.name for p in packs.iterdir()) == ["notes.txt"]
    with pytest.raises(InstallError, match="no pack 'week-3' is installed"):
        remove("week-3", packs)


def test_the_commands_install_list_and_remove_and_the_app_lists_the_exercises(pack, tmp_path):
    handed_out = archive(pack, "tar.gz")
    done = kubedojo("pack", "install", str(handed_out), home=tmp_path)
    assert done.returncode == 0 and "✔ pack week-3 0.1.0 installed in" in done.stdout, done.stderr
    again = kubedojo("--lang", "ko", "pack", "install", str(handed_out), home=tmp_path)
    assert again.returncode == 2 and "설치하지 않았습니다" in again.stderr and "--force" in again.stderr
    rows = json_out(kubedojo("pack", "list", "--json", home=tmp_path))
    assert {"id": "week-3", "source": "user", "exercises": 4, "used": True}.items() <= next(r for r in rows if r["id"] == "week-3").items()
    listed = json_out(kubedojo("list", "--json", home=tmp_path))
    assert {"week-3-pod", "week-3-scale", "week-3-quiz", "week-3-live"} <= {e["id"] for e in listed}
    graded = kubedojo("check", "week-3-scale", "--answer", "kubectl -n shop scale deploy/api --replicas=4", home=tmp_path)
    assert graded.returncode == 0, graded.stdout
    asked = kubedojo("pack", "remove", "week-3", home=tmp_path)
    assert asked.returncode == 2 and "--yes" in asked.stderr
    removed = kubedojo("pack", "remove", "week-3", "--yes", home=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert "week-3" not in {r["id"] for r in json_out(kubedojo("pack", "list", "--json", home=tmp_path))}


# --- packs as Python distributions --------------------------------------------------------------


def distribution(site: Path, pack: Path, module: str = "kubedojo_pack_week3", value: str | None = None) -> None:
    """What `pip install` of a pack's wheel leaves: the package folder and a .dist-info with the entry point."""
    shutil.copytree(pack, site / module)
    info = site / "kubedojo_pack_week3-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kubedojo-pack-week3\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[kubedojo.packs]\nweek3 = {value or module}\n", encoding="utf-8")


def test_a_pack_installed_as_a_distribution_is_found_by_its_entry_point(pack, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    distribution(site, pack)
    rows = json_out(kubedojo("pack", "list", "--json", home=tmp_path, extra_path=str(site)))
    assert {"id": "week-3", "source": "distribution", "path": str(site / "kubedojo_pack_week3")}.items() <= next(
        r for r in rows if r["id"] == "week-3").items()
    assert "week-3-live" in {e["id"] for e in json_out(kubedojo("list", "--json", home=tmp_path, extra_path=str(site)))}


@pytest.mark.parametrize(("value", "says"), [("no_such_package_here", "no package of that name is installed"),
                                             ("kubedojo_pack_week3:PACK", "name a top-level package"),
                                             ("kubedojo_pack_week3.sub", "name a top-level package")])
def test_a_broken_entry_point_is_named_with_its_distribution(pack, tmp_path, value, says):
    site = tmp_path / "site"
    site.mkdir()
    distribution(site, pack, value=value)
    done = kubedojo("list", "--json", home=tmp_path, extra_path=str(site))
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert f"entry point week3 = {value} (kubedojo.packs, distribution kubedojo-pack-week3)" in done.stderr and says in done.stderr


PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "kubedojo-pack-week3"
version = "0.1.0"

[project.entry-points."kubedojo.packs"]
week3 = "kubedojo_pack_week3"

[tool.setuptools]
packages = ["kubedojo_pack_week3"]

[tool.setuptools.package-data]
kubedojo_pack_week3 = ["*.yaml", "exams/*"]
"""


def test_the_guides_worked_example_builds_a_wheel_that_kubedojo_loads(pack, tmp_path):
    """exercises/README.md's example, offline: `pip wheel` the pack, `pip install --target` it, and list it."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(pack, project / "kubedojo_pack_week3")
    (project / "kubedojo_pack_week3" / "__init__.py").write_text('"""The week-3 pack for kubedojo (data only)."""\n', encoding="utf-8")
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    built = subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp_path / "dist"), str(project)],
                           capture_output=True, text=True, timeout=300)
    if built.returncode != 0 and "invalid command 'bdist_wheel'" in built.stdout + built.stderr:
        pytest.skip("this Python's setuptools cannot build wheels offline (setuptools < 70.1 needs the `wheel` package)")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [wheel] = (tmp_path / "dist").glob("*.whl")
    site = tmp_path / "site"
    installed = subprocess.run([*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr[-3000:]
    rows = json_out(kubedojo("pack", "list", "--json", home=tmp_path, extra_path=str(site)))
    assert next(r for r in rows if r["id"] == "week-3")["source"] == "distribution"
    catalog_ids = {e["id"] for e in json_out(kubedojo("list", "--json", home=tmp_path, extra_path=str(site)))}
    assert {"week-3-pod", "week-3-scale", "week-3-quiz", "week-3-live"} <= catalog_ids


def test_the_user_packs_folder_is_where_install_writes(monkeypatch, tmp_path, pack):
    monkeypatch.setenv("KUBEDOJO_DATA_DIR", str(tmp_path / "data"))
    install(pack)
    assert [p.meta.id for p in load_catalog(bundled=False).packs] == ["week-3"]
