"""`kubedojo stats`: progress per CKA domain, printed without opening the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from app.cli import catalog_for, lang_option, pack_option, resolve_lang
from exercises.model import DOMAIN_TITLES, DOMAINS, pick

HEAD = {
    "en": ("domain", "exercises", "passed", "due", "failed", "new", "attempts"),
    "ko": ("영역", "문제", "통과", "복습", "실패", "새 문제", "시도"),
}
TOTAL = {"en": "total", "ko": "합계"}
NEXT = {"en": "next", "ko": "다음 문제"}


def domain_stats(catalog: Any, store: Any) -> list[dict[str, Any]]:
    """One row per CKA domain that has exercises: counts by status and attempts."""
    exercises = catalog.exercises()
    progress = store.all_progress([e.id for e in exercises])
    rows = []
    for domain in DOMAINS:
        ids = [e.id for e in exercises if e.domain == domain]
        if not ids:
            continue
        row: dict[str, Any] = {"domain": domain, "exercises": len(ids)}
        for status in ("passed", "due", "failed", "new"):
            row[status] = sum(1 for i in ids if progress[i].status == status)
        row["attempts"] = sum(progress[i].attempts for i in ids)
        rows.append(row)
    return rows


@click.command("stats")
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
def stats(packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    """Your progress per CKA domain (passed, due again, failed, new)."""
    from app.progress import ProgressStore

    lang = resolve_lang(lang)
    catalog = catalog_for(packs)
    store = ProgressStore()
    try:
        readable = store.readable
        if readable:
            rows = domain_stats(catalog, store)
            from app.study_next import recommend

            chosen = recommend(store, catalog.exercises(), lang=lang)
            next_id = chosen.exercise_id
            for notice in chosen.notices:  # the exam database's: locked (the mock did not steer), damaged and moved aside
                click.secho(f"kubedojo: {notice}", err=True, fg="yellow")
    finally:
        store.close()
        for notice in store.notices:  # what was wrong with the file, and with its rows, on stderr
            click.secho(f"kubedojo: {notice}", err=True, fg="yellow")
    if not readable:  # zeros would be a lie: say so, and change nothing
        message = f"your progress cannot be read now ({store.path}); nothing was changed, try again later"
        if as_json:
            click.echo(json.dumps({"error": message, "database": str(store.path)}, ensure_ascii=False))
            raise click.exceptions.Exit(1)
        raise click.ClickException(message)
    if as_json:
        click.echo(json.dumps({"domains": rows, "next": next_id, "next_because": chosen.to_json(), "database": str(store.path)},
                              ensure_ascii=False))
        return
    from rich.table import Table

    from app.render import console as terminal_console

    head = HEAD.get(lang, HEAD["en"])
    table = Table(box=None, header_style="bold")
    for n, column in enumerate(head):
        table.add_column(column, justify="left" if n == 0 else "right")
    for row in rows:
        table.add_row(
            pick(DOMAIN_TITLES[row["domain"]], lang),
            *(str(row[key]) for key in ("exercises", "passed", "due", "failed", "new", "attempts")),
        )
    if rows:
        table.add_row(
            f"[bold]{TOTAL[lang]}[/]",
            *(f"[bold]{sum(r[key] for r in rows)}[/]" for key in ("exercises", "passed", "due", "failed", "new", "attempts")),
        )
    console = terminal_console()  # not wrapped at 80 in a pipe
    console.print(table)
    if next_id:
        why = chosen.reason(lang)
        from rich.markup import escape

        console.print(f"[dim]{NEXT[lang]}:[/] {next_id}" + (f" [dim]({escape(why)})[/]" if why else ""))
