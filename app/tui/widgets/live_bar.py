"""The live exercise's status line: the context, whether the cluster answers, the namespace."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from app.tui.strings import t
from app.tui.widgets.wrapped_text import WrappedStatic, shown


class LiveBar(WrappedStatic):
    """Shows a cluster probe's result; says plainly when no cluster is reachable (a server's URL never broken)."""

    def show(self, status: Any, namespace: str | None, lang: str, live_only: bool, check_key: str) -> None:
        text = Text()
        text.append(f" {t('live.label', lang)} ", style="bold reverse")
        text.append("  ")
        if status is None:
            text.append(t("live.checking", lang), style="dim")
            self.set_class(False, "-unreachable")
            self.update(shown(text))
            return
        if status.context:
            text.append(t("live.context", lang, context=status.context))
            text.append("  ")
        if namespace:
            text.append(t("live.namespace", lang, namespace=namespace))
            text.append("  ")
        if status.reachable:
            text.append(t("live.reachable", lang), style="bold green")
        else:
            text.append(t("live.unreachable", lang), style="bold red")
            key = "live.only_no_cluster" if live_only else "live.offline_offer"
            text.append("\n" + t(key, lang, why=status.detail, key=check_key))
        self.set_class(not status.reachable, "-unreachable")
        self.update(shown(text))
