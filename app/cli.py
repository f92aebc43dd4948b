"""The `kubedojo` command: the app with no arguments, and list/show/check for people and scripts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from app.render import json_text, terminal_safe
from exercises.loader import Catalog, PackProblem, load_catalog
from graders.report import AnswerError, GradeReport, unusable

EXIT_PASS, EXIT_FAIL, EXIT_UNUSABLE = 0, 1, 2


class Unusable(click.ClickException):
    """Input the command cannot work with; exit code 2, and a JSON verdict under --json."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, message: str, exercise_id: str = "", as_json: bool = False, max_score: int = 0) -> None:
        super().__init__(message)
        self.exercise_id = exercise_id
        self.as_json = as_json
        self.max_score = max_score

    def show(self, file: Any = None) -> None:
        if self.as_json:
            report = unusable(self.exercise_id, AnswerError(self.message), max_score=self.max_score)
            click.echo(json_text(report.to_json()))
        else:
            click.secho(f"kubedojo: {terminal_safe(self.message)}", err=True, fg="red")


def pack_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--pack",
        "packs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A pack folder (or a folder of packs) to load besides the bundled and your own. Repeatable.",
    )(func)


def lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--lang", type=click.Choice(["en", "ko"]), default=None, help="Language (default: your setting, else $LANG).")(func)


def cluster_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--context, --kubeconfig and --allow-context, shared by every command that talks to a cluster."""
    func = click.option("--allow-context", multiple=True, help="Also treat this context as a practice cluster kubedojo may change. Repeatable.")(func)
    func = click.option("--kubeconfig", default=None, help="kubeconfig file (default: $KUBECONFIG, ~/.kube/config).")(func)
    return click.option("--context", default=None, help="kubeconfig context (default: your setting, else the current one).")(func)


def _root_option(name: str) -> Any:
    """An option given before the command (`kubedojo --lang ko list`)."""
    ctx = click.get_current_context(silent=True)
    return ctx.find_root().params.get(name) if ctx else None


def resolve_lang(lang: str | None) -> str:
    lang = lang or _root_option("lang")
    if lang:
        return lang
    from app.config import ConfigError, default_lang, load_settings

    try:
        return default_lang(load_settings())
    except ConfigError as err:
        click.secho(f"kubedojo: {err} (your settings are not used)", err=True, fg="yellow")
        return default_lang(None)


def warn(problems: list[PackProblem]) -> None:
    """Pack problems on stderr, where scripts reading stdout (and --json) do not trip on them."""
    for problem in problems:
        click.secho(f"kubedojo: {terminal_safe(problem)}", err=True, fg="red" if problem.severity == "error" else "yellow")


def catalog_for(packs: tuple[Path, ...]) -> Catalog:
    """Every pack, with what is wrong in them said on stderr (a broken exercise says why when it is asked for)."""
    packs = tuple(_root_option("packs") or ()) + tuple(packs)
    catalog = load_catalog(packs)
    warn(catalog.problems)
    return catalog


def exercise_or_fail(catalog: Catalog, exercise_id: str, as_json: bool = False) -> Any:
    exercise = catalog.get(exercise_id)
    if exercise is not None:
        return exercise
    problems = catalog.problems_for(exercise_id)
    if problems:
        raise Unusable(f"exercise {exercise_id} is broken: " + "; ".join(str(p) for p in problems), exercise_id, as_json)
    import difflib

    close = difflib.get_close_matches(exercise_id, catalog.ids(), n=3)
    suggestion = f" (did you mean {', '.join(close)}?)" if close else " (`kubedojo list` shows them all)"
    raise Unusable(f"no exercise with id {exercise_id!r}{suggestion}", exercise_id, as_json)


class LazyGroup(click.Group):
    """Commands that live in other modules are imported only when called (start-up stays fast)."""

    lazy: dict[str, str] = {
        "stats": "app.stats_cli:stats",
        "cluster": "app.cluster_cli:cluster",
        "setup": "app.cluster_cli:setup",
        "reset": "app.cluster_cli:reset",
        "node-shell": "app.cluster_cli:node_shell",
        "lint": "app.lint_cli:lint",
        "pack": "app.pack_cli:pack",
        "exam": "app.exam_cli:exam",
        "serve": "app.serve_cli:serve",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | {n for n in self.lazy if self._importable(n)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in self.lazy:
            return command
        import importlib

        module_name, attr = self.lazy[cmd_name].split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name == module_name:
                return None
            raise
        return getattr(module, attr, None)

    def _importable(self, cmd_name: str) -> bool:
        import importlib.util

        return importlib.util.find_spec(self.lazy[cmd_name].split(":")[0]) is not None


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", package_name="kubedojo", prog_name="kubedojo", message="%(prog)s %(version)s")
@pack_option
@lang_option
@click.pass_context
def cli(ctx: click.Context, packs: tuple[Path, ...], lang: str | None) -> None:
    """kubedojo: practise for the CKA exam in your terminal.

    With no command it opens the app; the commands below serve scripts and quick checks.
    """
    if ctx.invoked_subcommand is None:
        from app.tui.main import run_app

        run_app(packs=packs, lang=lang)


@cli.command("list")
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array on stdout.")
def list_command(packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    """List the exercises of every pack."""
    from app.render import exercise_summary

    lang = resolve_lang(lang)
    catalog = catalog_for(packs)
    rows = []
    for exercise_id in catalog.ids():
        exercise = catalog.get(exercise_id)
        if exercise is not None:
            pack = catalog.pack_of(exercise_id)
            rows.append(exercise_summary(exercise, lang, pack.meta.id if pack else None))
    for exercise_id, problems in catalog.broken():
        hidden = catalog.replaced.get(exercise_id)
        also = f"; it replaces {exercise_id} of pack {hidden.meta.id!r}, which is not listed either" if hidden else ""
        click.secho(f"kubedojo: exercise {terminal_safe(exercise_id)} is broken and not listed{also}", err=True, fg="red")
        warn(problems)
    if as_json:
        click.echo(json_text(rows))
        return
    from app.render import print_exercise_table

    print_exercise_table(rows, lang)


@cli.command("show")
@click.argument("exercise_id")
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.option("--solution", is_flag=True, help="Also show the reference solution and its explanation.")
def show_command(exercise_id: str, packs: tuple[Path, ...], lang: str | None, as_json: bool, solution: bool) -> None:
    """Show one exercise's task."""
    from app.render import exercise_detail, print_exercise

    lang = resolve_lang(lang)
    catalog = catalog_for(packs)
    exercise = exercise_or_fail(catalog, exercise_id)
    if as_json:
        pack = catalog.pack_of(exercise_id)
        click.echo(json_text(exercise_detail(exercise, lang, pack.meta.id if pack else None, solution)))
    else:
        print_exercise(exercise, lang, solution)


def read_answer(file: str | None, answer: str | None, exercise_id: str, as_json: bool) -> str:
    if (file is None) == (answer is None):
        raise Unusable("give the answer with exactly one of --file PATH, --file - (stdin) or --answer TEXT", exercise_id, as_json)
    if answer is not None:
        return answer
    from graders.files import FileReadError, read_text_file, read_text_stream
    from graders.source import MAX_ANSWER_BYTES

    try:  # regular files only, at most the limit: a FIFO or /dev/zero is refused, never waited on
        if file == "-":
            return read_text_stream(sys.stdin.buffer, MAX_ANSWER_BYTES, "stdin")
        return read_text_file(file, MAX_ANSWER_BYTES)  # type: ignore[arg-type]
    except FileReadError as err:
        raise Unusable(f"cannot use {err}", exercise_id, as_json) from None


@cli.command("check")
@click.argument("exercise_id")
@click.option("--file", "-f", "file", default=None, help="The answer file (YAML, or a text file with the command); - reads stdin.")
@click.option("--answer", "-a", default=None, help="The answer as text (a command line, a quiz choice, or YAML).")
@click.option("--live", is_flag=True, help="Grade what is on the cluster instead of an answer file.")
@cluster_options
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="One JSON verdict on stdout, whatever happens.")
@click.option("--no-record", is_flag=True, help="Leave your progress as it is (by default a graded answer counts in `stats` and \"next\").")
def check_command(
    exercise_id: str,
    file: str | None,
    answer: str | None,
    live: bool,
    context: str | None,
    kubeconfig: str | None,
    allow_context: tuple[str, ...],
    packs: tuple[Path, ...],
    lang: str | None,
    as_json: bool,
    no_record: bool,
) -> None:
    """Grade an answer, or the cluster with --live. Exit 0 pass, 1 fail, 2 unusable input."""
    lang = resolve_lang(lang)
    catalog = catalog_for(packs)
    exercise = exercise_or_fail(catalog, exercise_id, as_json)
    if live:
        if file is not None or answer is not None:
            raise Unusable("--live grades the cluster: leave out --file and --answer", exercise_id, as_json)
        from app.cluster_cli import check_live

        report = check_live(exercise, lang, context=context, kubeconfig=kubeconfig, allow_context=allow_context)
        text = ""
    else:
        from graders.grade import grade

        text = read_answer(file, answer, exercise_id, as_json)
        report = grade(exercise, text, lang)
    if report.usable and not no_record:
        record(report, text, "live" if live else "offline")
    finish(report, lang, as_json)


def record(report: GradeReport, answer: str, mode: str) -> None:
    """Count a graded answer in the progress the app and `stats` read; a locked or read-only file is said on stderr
    (the attempt waits beside it and is taken in at the next start), never a traceback."""
    from app.progress import ProgressStore

    store = ProgressStore()
    try:
        store.record_attempt(report.exercise_id, passed=report.passed, score=report.score, max_score=report.max_score,
                             answer=answer, mode=mode)  # type: ignore[arg-type]
    except Exception as err:  # a bug or a file gone wrong: said, the verdict still printed
        click.secho(f"kubedojo: the attempt could not be recorded: {type(err).__name__}: {err}", err=True, fg="yellow")
    finally:
        store.close()
        for notice in store.notices:
            click.secho(f"kubedojo: {terminal_safe(notice)}", err=True, fg="yellow")


def finish(report: GradeReport, lang: str, as_json: bool) -> None:
    """Print the verdict and exit with its code."""
    if as_json:
        click.echo(json_text(report.to_json(lang)))
    else:
        from app.render import print_report

        print_report(report, lang)
    sys.exit(EXIT_PASS if report.passed else (EXIT_FAIL if report.usable else EXIT_UNUSABLE))


def main() -> None:
    """Entry point: usage errors under --json still print one JSON verdict."""
    args = sys.argv[1:]
    try:
        code = cli.main(args=args, prog_name="kubedojo", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as err:
        check_args = _command_args(args, "check")
        if check_args is not None and "--json" in check_args and not isinstance(err, Unusable):
            Unusable(err.format_message(), _exercise_id(check_args), as_json=True).show()
        else:
            err.show()
        sys.exit(err.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def _takes_value(command: click.Command) -> set[str]:
    """The option names of a command that take a value (`--file PATH`), from its own declaration."""
    return {name for p in command.params if isinstance(p, click.Option) and not p.is_flag and not p.count
            for name in p.opts + p.secondary_opts}


def _command_args(args: list[str], name: str) -> list[str] | None:
    """The words after the command `name` (root options such as `--lang ko` may come before it), or None."""
    valued = _takes_value(cli)
    i = 0
    while i < len(args):
        word = args[i]
        if word == name:
            return args[i + 1:]
        if not word.startswith("-"):
            return None  # another command
        i += 2 if word in valued else 1
    return None


def _exercise_id(words: list[str]) -> str:
    """The exercise id among check's words: the first that is neither an option nor an option's value."""
    command = cli.commands.get("check")
    valued = _takes_value(command) if command else set()
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            return words[i + 1] if i + 1 < len(words) else ""
        if not word.startswith("-") or word == "-":
            return word
        i += 2 if word in valued else 1
    return ""


if __name__ == "__main__":
    main()
