"""Getting into a mock exam from the app: start, resume (an unfinished attempt is offered back), history."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


def _store(app: Any) -> Any:
    from app.exam_store import ExamStore

    store = ExamStore()
    for notice in store.notices:
        app.notify(notice, severity="warning", timeout=15)
    return store


def _exams(app: Any) -> list[Any]:
    from exercises.exams import load_exams

    exams, problems = load_exams(app.catalog)
    for problem in problems:
        app.notify(str(problem), severity="error", timeout=10)
    return exams


def _push(app: Any, attempt: Any, store: Any) -> None:
    from app.tui.exam_screen import ExamScreen
    from exercises.base import pick
    from exercises.exams import find_exam

    exam = find_exam(_exams(app), attempt.paper.exam_key)
    title = pick(exam.spec.title, app.lang) if exam else attempt.paper.exam_key
    exercises = {t.exercise_id: app.catalog.get(t.exercise_id) for t in attempt.paper.tasks}
    cluster = None
    if any(t.live for t in attempt.paper.tasks):
        from app.tui.live import ClusterTarget

        settings = app.settings
        cluster = ClusterTarget(settings.context, settings.kubeconfig, tuple(settings.allowed_contexts))
    app.push_screen(ExamScreen(attempt, {k: v for k, v in exercises.items() if v is not None}, store, title=title,
                               lang=app.lang, owns_store=True, cluster=cluster))


def open_attempt(app: Any, attempt_id: str) -> None:
    """The attempt on the exam screen, its time left from the stored deadline (results if its time ran out meanwhile)."""
    store = _store(app)
    attempt = store.load(attempt_id)
    if attempt is None or attempt.finished:
        from app.exam_export import say

        app.notify(say(app.lang, f"no unfinished exam {attempt_id}", f"이어서 볼 시험 {attempt_id}이(가) 없습니다"), severity="error")
        store.close()
        return
    _push(app, attempt, store)


def start_exam(app: Any, exam_key: str, mode: str = "exam") -> None:
    from exercises.exams import ExamError, draw_paper, find_exam, pack_exercises

    exam = find_exam(_exams(app), exam_key)
    if exam is None:
        return
    try:
        paper = draw_paper(exam, pack_exercises(app.catalog, exam.pack))
    except ExamError as err:
        app.notify(str(err), severity="error", timeout=10)
        return
    store = _store(app)
    live = any(t.live for t in paper.tasks)  # the clock starts once the live tasks are set up (ExamScreen)
    _push(app, store.begin(paper, exam.spec.duration_minutes, exam.spec.pass_mark, app.lang, mode, start_clock=not live), store)


def show_history(app: Any) -> None:
    from app.tui.exam_results import ExamHistoryScreen

    store = _store(app)
    entries = store.history()
    store.close()
    app.push_screen(ExamHistoryScreen(entries, lang=app.lang))


def look_unfinished(lang: str) -> tuple[list[str], tuple[str, ...]]:
    """(ids of the unfinished attempts, newest first; what the exam database said: damaged and moved aside, locked).
    A look: no file is made, a lock is waited for LOOK_TIMEOUT at most. It reads SQLite: call it off the event loop."""
    from app.exam_export import say
    from app.exam_store import ExamStore, default_path
    from app.study_next import LOOK_TIMEOUT

    path = default_path()
    if not path.is_file():
        return [], ()  # no exam was ever started: nothing to offer, and no file made
    store = ExamStore(path, busy_timeout=LOOK_TIMEOUT)
    waiting = store.unfinished()
    store.close()
    if store.state == "busy":  # the store's own notice speaks of answers kept in memory; a look writes none
        return [], (say(lang, f"{path} is locked by another program: kubedojo cannot tell now whether an exam was left unfinished",
                        f"{path} 파일을 다른 프로그램이 잠그고 있어 끝내지 않은 시험이 있는지 지금은 알 수 없습니다"),)
    return waiting, tuple(store.notices)


def unfinished_offer(lang: str) -> tuple[str | None, tuple[str, ...]]:
    """(a line saying an exam was left unfinished, a kill or a closed terminal, and how to go back, or None; what the
    exam database said). It reads SQLite and may wait: the app calls it in a worker."""
    from app.exam_export import say

    waiting, notices = look_unfinished(lang)
    if not waiting:
        return None, notices
    return say(lang, f"An exam was left unfinished ({waiting[0]}): ctrl+p, then “Resume exam”, takes you back.",
               f"끝내지 않은 시험이 있습니다 ({waiting[0]}): ctrl+p에서 “시험 이어서 보기”를 고르세요."), notices


class ExamCommands(Provider):
    """Command palette: start each exam, resume an unfinished one, see the history (the exam modules load when it is opened, not at start-up)."""

    waiting: list[str] | None = None
    """Unfinished attempts, read off the event loop when the palette opens (`startup`)."""

    async def startup(self) -> None:
        """Look for an unfinished attempt in a thread: a locked exam database never freezes the palette."""
        import asyncio

        app: Any = self.app
        self.waiting, notices = await asyncio.to_thread(look_unfinished, app.lang)
        for notice in notices:
            app.notify(notice, severity="warning", timeout=15)

    def _commands(self) -> list[tuple[str, Any, str]]:
        from app.exam_export import say
        from exercises.base import pick

        app: Any = self.app
        if not getattr(app, "loaded", False):
            return []
        lang = app.lang
        found = []
        for e in _exams(app):
            title, count = pick(e.spec.title, lang), e.spec.tasks or len(e.spec.fixed)
            found.append((say(lang, f"Exam: {title}", f"시험: {title}"), partial(start_exam, app, e.key, "exam"),
                          say(lang, f"{count} tasks, {e.spec.duration_minutes} min, no hints", f"{count}문제, {e.spec.duration_minutes}분, 힌트 없음")))
            found.append((say(lang, f"Training: {title}", f"연습: {title}"), partial(start_exam, app, e.key, "training"),
                          say(lang, f"{count} tasks, no clock, hints and a check per task", f"{count}문제, 시간 제한 없음, 힌트와 문제별 채점")))
        waiting = self.waiting if self.waiting is not None else look_unfinished(lang)[0]
        if waiting:
            found.insert(0, (say(lang, "Resume exam", "시험 이어서 보기"), partial(open_attempt, app, waiting[0]), waiting[0]))
        found.append((say(lang, "Exam history", "시험 기록"), partial(show_history, app), ""))
        return found

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
