"""`kubedojo pack new|install|list|remove`: an instructor's packs, from a scaffold to the class's machines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from app.cli import Unusable, lang_option, pack_option, resolve_lang, warn
from app.render import json_text, terminal_safe


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


@click.group("pack")
def pack() -> None:
    """Make, install, list and remove packs of exercises."""


@pack.command("new")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=None, help="Where to write it (default: ./NAME).")
@lang_option
def pack_new(name: str, directory: Path | None, lang: str | None) -> None:
    """Write a new pack NAME: pack.yaml and one commented exercise of each kind, ready to lint."""
    from exercises.scaffold import ScaffoldError, new_pack

    lang = resolve_lang(lang)
    directory = directory or Path(name)
    try:
        files = new_pack(name, directory)
    except ScaffoldError as err:
        raise Unusable(str(err)) from None
    click.secho(_say(lang, f"✔ pack {name} written in {directory}:", f"✔ 팩 {name}을(를) {directory}에 만들었습니다:"), fg="green")
    for file in files:
        click.echo(f"  {file}")
    click.echo(_say(lang, f"  Next: edit the exercises, then `kubedojo lint {directory}` (and `--live` on a practice cluster).",
                    f"  다음: 문제를 고친 뒤 `kubedojo lint {directory}` (연습용 클러스터에서는 `--live`도)."))


@pack.command("install")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace an installed pack with the same id.")
@click.option("--no-self-test", is_flag=True, help="Lint without grading each solution and counterexample.")
@lang_option
def pack_install(source: Path, force: bool, no_self_test: bool, lang: str | None) -> None:
    """Install a pack (a folder, .tar.gz or .zip) into your packs folder, after linting it."""
    from exercises.install import InstallError, install

    lang = resolve_lang(lang)
    try:
        done = install(source, force=force, self_test=not no_self_test)
    except InstallError as err:
        for problem in err.problems[:20]:
            click.secho(f"  {terminal_safe(problem)}", err=True, fg="red" if problem.severity == "error" else "yellow")
        raise Unusable(_say(lang, str(err), _korean(str(err)))) from None
    warn(done.warnings)
    replaced = _say(lang, f" (replacing {done.replaced})", f" ({done.replaced} 교체)") if done.replaced else ""
    click.secho(_say(lang, f"✔ pack {done.pack_id} {done.version} installed in {done.path}{replaced}",
                     f"✔ 팩 {done.pack_id} {done.version}을(를) {done.path}에 설치했습니다{replaced}"), fg="green")


def _korean(message: str) -> str:
    """The refusal with a Korean lead; the detail (paths, file names, lint's words) stays as it is."""
    return f"설치하지 않았습니다: {message}"


@pack.command("list")
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array on stdout.")
def pack_list(packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    """List every pack kubedojo sees, where it is, and which are not used (a later pack has their id)."""
    from app.cli import catalog_for
    from exercises.base import pick

    lang = resolve_lang(lang)
    catalog = catalog_for(packs)
    rows: list[dict[str, Any]] = []
    for used, group in ((True, catalog.packs), (False, catalog.shadowed)):
        for p in group:
            rows.append({"id": p.meta.id, "version": p.meta.version, "title": pick(p.meta.title, lang), "source": p.source,
                         "path": str(p.path), "exercises": len(p.exercise_files), "requires": p.meta.requires, "used": used})
    if as_json:
        click.echo(json_text(rows))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for header in (_say(lang, "id", "id"), _say(lang, "version", "버전"), _say(lang, "exercises", "문제"),
                   _say(lang, "from", "출처"), _say(lang, "title", "제목"), _say(lang, "folder", "폴더")):
        table.add_column(header, overflow="fold")
    sources = {"bundled": ("bundled", "기본 제공"), "distribution": ("pip", "pip"), "user": ("installed", "설치됨"), "folder": ("--pack", "--pack")}
    for row in rows:
        source = _say(lang, *sources[row["source"]]) + ("" if row["used"] else _say(lang, " (not used: same id)", " (사용 안 함: 같은 id)"))
        table.add_row(*(terminal_safe(v) for v in (row["id"], row["version"], str(row["exercises"]), source, row["title"], row["path"])))
    Console(soft_wrap=True).print(table)


@pack.command("remove")
@click.argument("pack_id")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@lang_option
def pack_remove(pack_id: str, yes: bool, lang: str | None) -> None:
    """Remove an installed pack from your packs folder."""
    from exercises.install import InstallError, installed_packs, remove

    lang = resolve_lang(lang)
    found = [p for p in installed_packs() if p.meta.id == pack_id]
    if found and not yes:
        if not sys.stdin.isatty():
            raise Unusable(_say(lang, f"removing {found[0].path} needs --yes when nobody is at the terminal to confirm",
                                f"확인할 사람이 없으면 {found[0].path} 삭제에 --yes가 필요합니다"))
        click.confirm(_say(lang, f"Delete {found[0].path} and every file in it?", f"{found[0].path}와(과) 그 안의 파일을 모두 지울까요?"), abort=True)
    try:
        path = remove(pack_id)
    except InstallError as err:
        raise Unusable(_say(lang, str(err), f"삭제하지 않았습니다: {err}")) from None
    click.secho(_say(lang, f"✔ pack {pack_id} removed ({path})", f"✔ 팩 {pack_id}을(를) 삭제했습니다 ({path})"), fg="green")
