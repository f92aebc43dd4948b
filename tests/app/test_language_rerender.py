"""Switching language re-renders the report on screen, offline or live, in the new language, without grading again."""

from __future__ import annotations

from app.tui.widgets.results_list import ResultsList
from graders.messages import say
from graders.report import CheckResult, GradeReport
from tests.app.conftest import SIZE, make_app, settle
from tests.app.test_flows import WRONG, open_exercise, results_text


async def test_an_offline_report_is_rendered_again_not_graded_again(monkeypatch):
    import graders.grade

    calls = []
    real = graders.grade.grade
    monkeypatch.setattr(graders.grade, "grade", lambda *a, **k: calls.append(a) or real(*a, **k))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(WRONG)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "expected `nginx:1.25`" in results_text(screen)
        graded = len(calls)
        app.lang = "ko"
        await settle(app, pilot)
        assert "기대한 값은 `nginx:1.25`" in results_text(screen) and "고치는 방법" in results_text(screen)
        assert len(calls) == graded


async def test_a_live_report_is_rendered_in_the_new_language():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_exercise(app, pilot, "web-pod")
        report = GradeReport("web-pod", (CheckResult("ready", "fail", say("en", "the pod is not Ready", "파드가 Ready가 아닙니다")),), mode="live", max_score=1)
        screen.report = report
        screen.query_one(ResultsList).show_report(report, "en")
        assert "the pod is not Ready" in results_text(screen)
        app.lang = "ko"
        await settle(app, pilot)
        assert "파드가 Ready가 아닙니다" in results_text(screen)
