"""`kubedojo serve`: the app in a web browser (textual-serve), one app process per browser tab."""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

import click

from app.cli import Unusable, lang_option, pack_option

SERVED_ENV = "KUBEDOJO_SERVED"
"""Set in the served app's environment: the app then offers no shell on the serving machine unless allowed."""


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(packs: tuple[Path, ...], lang: str | None, open_exercise: str | None = None) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, this kubedojo's app, these options."""
    argv = [sys.executable, "-m", "app.tui.main"]
    for pack in packs:
        argv += ["--pack", str(pack.resolve())]
    if lang:
        argv += ["--lang", lang]
    if open_exercise:
        argv += ["--open", open_exercise]
    return shlex.join(argv)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on. Loopback by default; give 0.0.0.0 for a classroom.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--public-url", default=None, help="The address browsers use, when it differs from host:port (behind a proxy).")
@click.option("--allow-shell", is_flag=True, help="Let the served app open a terminal on this machine (off by default: every visitor would get a shell).")
@click.option("--open", "open_exercise", default=None, metavar="EXERCISE", help="Every tab starts on this exercise (a class doing the same one).")
@pack_option
@lang_option
def serve(host: str, port: int, public_url: str | None, allow_shell: bool, open_exercise: str | None, packs: tuple[Path, ...], lang: str | None) -> None:
    """Serve the app to web browsers: each tab runs its own kubedojo on this machine, with this machine's progress file."""
    import os

    try:
        from textual_serve.server import Server
    except ModuleNotFoundError as err:  # an install without it: say what to add, not a traceback
        raise Unusable(f"`kubedojo serve` needs the textual-serve package ({err.name} is missing): pip install textual-serve") from None
    from app.cli import _root_option

    packs = tuple(_root_option("packs") or ()) + packs
    lang = lang or _root_option("lang")
    for pack in packs:
        if not pack.exists():
            raise Unusable(f"--pack {pack}: no such file or folder")
    if not is_loopback(host):
        click.secho(f"kubedojo: serving on {host}: anyone who can reach port {port} gets the app, and progress is shared "
                    "(one progress file, this machine's)", err=True, fg="yellow")
    if not allow_shell:
        os.environ[SERVED_ENV] = "no-shell"
    else:
        os.environ.pop(SERVED_ENV, None)
    server = Server(app_command(packs, lang, open_exercise), host=host, port=port, title="kubedojo", public_url=public_url)
    try:
        server.serve()
    except OSError as err:  # the port is taken, or the address is not this machine's
        raise Unusable(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
