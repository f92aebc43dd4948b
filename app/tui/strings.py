"""The app's own words in English and Korean, and the labels of every key binding."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "app.subtitle": {"en": "CKA practice", "ko": "CKA 연습"},
    "home.filter.domain": {"en": "All domains", "ko": "모든 영역"},
    "home.filter.kind": {"en": "All kinds", "ko": "모든 유형"},
    "home.filter.status": {"en": "Any status", "ko": "모든 상태"},
    "home.col.status": {"en": "status", "ko": "상태"},
    "home.col.title": {"en": "exercise", "ko": "문제"},
    "home.col.kind": {"en": "kind", "ko": "유형"},
    "home.col.level": {"en": "level", "ko": "난이도"},
    "home.col.mode": {"en": "mode", "ko": "방식"},
    "home.col.minutes": {"en": "min", "ko": "분"},
    "home.empty": {"en": "No exercise matches these filters.", "ko": "조건에 맞는 문제가 없습니다."},
    "home.summary": {
        "en": "{passed}/{total} passed · {due} due again · {failed} failed · {new} new",
        "ko": "{total}문제 중 {passed} 통과 · 복습 {due} · 실패 {failed} · 새 문제 {new}",
    },
    "home.loading": {"en": "Loading exercises…", "ko": "문제를 불러오는 중…"},
    "home.next_none": {"en": "Nothing to practise: no exercises loaded.", "ko": "연습할 문제가 없습니다."},
    "exam.offer_failed": {"en": "kubedojo could not look for an unfinished exam (a bug): {error}",
                          "ko": "끝내지 않은 시험을 찾지 못했습니다 (버그): {error}"},
    "home.next_failed": {"en": "kubedojo could not choose what to practise next (a bug): {error}",
                         "ko": "다음에 연습할 문제를 고르지 못했습니다 (버그): {error}"},
    "home.problems": {"en": "{n} pack problem(s); `kubedojo lint` shows them.", "ko": "팩 문제 {n}건: `kubedojo lint`로 확인하세요."},
    "status.new": {"en": "new", "ko": "새 문제"},
    "status.failed": {"en": "failed", "ko": "실패"},
    "status.passed": {"en": "passed", "ko": "통과"},
    "status.due": {"en": "due", "ko": "복습"},
    "kind.manifest": {"en": "manifest", "ko": "매니페스트"},
    "kind.command": {"en": "command", "ko": "명령"},
    "kind.quiz": {"en": "quiz", "ko": "퀴즈"},
    "level.quick": {"en": "quick", "ko": "쉬움"},
    "level.core": {"en": "core", "ko": "보통"},
    "level.deep": {"en": "deep", "ko": "어려움"},
    "mode.offline": {"en": "offline", "ko": "오프라인"},
    "mode.both": {"en": "offline+live", "ko": "오프라인+실습"},
    "mode.live": {"en": "live only", "ko": "실습 전용"},
    "ex.minutes": {"en": "{n} min", "ko": "{n}분"},
    "ex.hints": {"en": "Hints", "ko": "힌트"},
    "ex.hint_n": {"en": "Hint {n}", "ko": "힌트 {n}"},
    "ex.no_more_hints": {"en": "That was the last hint.", "ko": "더 이상 힌트가 없습니다."},
    "ex.no_hints": {"en": "This exercise has no hints.", "ko": "이 문제에는 힌트가 없습니다."},
    "ex.docs": {"en": "Docs", "ko": "문서"},
    "ex.solution": {"en": "Solution", "ko": "풀이"},
    "ex.explanation": {"en": "Why", "ko": "설명"},
    "ex.solution_after_attempt": {"en": "Check an answer first; then the solution can be shown.", "ko": "먼저 답을 채점해 보세요. 그 다음에 풀이를 볼 수 있습니다."},
    "ex.answer": {"en": "Your answer", "ko": "나의 답"},
    "ex.command_placeholder": {"en": "kubectl ...", "ko": "kubectl ..."},
    "ex.short_placeholder": {"en": "Type your answer", "ko": "답을 입력하세요"},
    "ex.results": {"en": "Results", "ko": "결과"},
    "ex.results_empty": {"en": "Press {key} to check your answer.", "ko": "{key} 키를 눌러 답을 채점하세요."},
    "ex.checking": {"en": "Checking…", "ko": "채점 중…"},
    "ex.passed": {"en": "✔ Passed {score}/{max}", "ko": "✔ 통과 {score}/{max}"},
    "ex.failed": {"en": "✘ Not yet {score}/{max}", "ko": "✘ 아직 {score}/{max}"},
    "ex.unusable": {"en": "✘ Could not be graded", "ko": "✘ 채점할 수 없습니다"},
    "ex.line": {"en": "line {n}", "ko": "{n}번째 줄"},
    "ex.hint": {"en": "hint", "ko": "힌트"},
    "ex.fix": {"en": "fix", "ko": "고치는 방법"},
    "ex.status": {"en": "status: {status}", "ko": "상태: {status}"},
    "ex.broken": {"en": "Exercise {id} cannot be opened: {why}", "ko": "{id} 문제를 열 수 없습니다: {why}"},
    "ex.grader_crashed": {"en": "The grader failed: {error}", "ko": "채점기가 실패했습니다: {error}"},
    "ex.editor_failed": {"en": "Could not run the editor {editor}: {error}", "ko": "편집기 {editor}를 실행할 수 없습니다: {error}"},
    "ex.no_suspend": {"en": "This terminal cannot hand over to another program.", "ko": "이 터미널에서는 다른 프로그램으로 전환할 수 없습니다."},
    "live.label": {"en": "live", "ko": "실습"},
    "live.checking": {"en": "looking for the cluster…", "ko": "클러스터 확인 중…"},
    "live.reachable": {"en": "● reachable", "ko": "● 연결됨"},
    "live.unreachable": {"en": "○ not reachable", "ko": "○ 연결 안 됨"},
    "live.context": {"en": "context {context}", "ko": "컨텍스트 {context}"},
    "live.namespace": {"en": "namespace {namespace}", "ko": "네임스페이스 {namespace}"},
    "live.offline_offer": {
        "en": "No cluster reachable: {why}. You can still answer offline on the right and check it with {key}.",
        "ko": "연결된 클러스터가 없습니다: {why}. 오른쪽에서 오프라인으로 답하고 {key} 키로 채점할 수 있습니다.",
    },
    "live.only_no_cluster": {
        "en": "No cluster reachable: {why}. This exercise is graded on a live cluster only.",
        "ko": "연결된 클러스터가 없습니다: {why}. 이 문제는 실제 클러스터에서만 채점합니다.",
    },
    "live.unavailable": {"en": "live grading is not available in this install", "ko": "이 설치에서는 실습 채점을 쓸 수 없습니다"},
    "live.busy": {"en": "Busy with the cluster: wait for it to finish.", "ko": "클러스터 작업 중입니다. 끝날 때까지 기다리세요."},
    "live.still_looking": {"en": "Still looking for the cluster: try again in a moment.", "ko": "클러스터를 아직 찾는 중입니다. 잠시 후 다시 시도하세요."},
    "live.no_cluster_key": {
        "en": "No cluster reachable ({why}): this key needs one. `kubedojo cluster up` starts a practice cluster.",
        "ko": "연결된 클러스터가 없습니다 ({why}). 이 키는 클러스터가 있어야 합니다. `kubedojo cluster up`으로 연습 클러스터를 시작하세요.",
    },
    "live.results_empty": {
        "en": "This exercise is graded on a cluster: press {key} or {check} when one is reachable.",
        "ko": "이 문제는 클러스터에서 채점합니다. 클러스터가 연결되면 {key} 또는 {check} 키를 누르세요.",
    },
    "live.setup_done": {"en": "Set up: {detail}", "ko": "준비 완료: {detail}"},
    "live.reset_done": {"en": "Reset: {detail}", "ko": "초기화 완료: {detail}"},
    "live.failed": {"en": "{what} failed: {error}", "ko": "{what} 실패: {error}"},
    "live.shell_banner": {
        "en": "kubedojo: a shell for {id}, namespace {namespace} (context {context}). Type `exit` to return.",
        "ko": "kubedojo: {id} 문제용 셸입니다. 네임스페이스 {namespace} (컨텍스트 {context}). 돌아가려면 `exit`를 입력하세요.",
    },
    "live.back": {"en": "Back from the shell: press {key} to check the cluster.", "ko": "셸에서 돌아왔습니다. {key} 키로 클러스터를 채점하세요."},
    "help.title": {"en": "Keys", "ko": "단축키"},
    "help.app": {"en": "Everywhere", "ko": "어디서나"},
    "help.home": {"en": "Exercise list", "ko": "문제 목록"},
    "help.exercise": {"en": "Exercise", "ko": "문제 화면"},
    "help.live": {"en": "Live exercises", "ko": "실습 문제"},
    "help.editor": {"en": "YAML editor", "ko": "YAML 편집기"},
    "help.cluster_up": {"en": "Starting a practice cluster", "ko": "연습용 클러스터 만들기"},
    "help.enter": {"en": "New line, indented like the one above (one level deeper after `key:` or `- name:`)", "ko": "새 줄: 윗줄과 같은 들여쓰기 (`key:`나 `- name:` 다음에는 한 단계 더)"},
    "help.tab": {"en": "Indent by two spaces", "ko": "공백 두 칸 들여쓰기"},
    "help.clipboard": {"en": "Cut, copy, paste", "ko": "잘라내기, 복사, 붙여넣기"},
    "help.select": {"en": "Select while moving", "ko": "이동하며 선택"},
    "help.key": {"en": "key", "ko": "키"},
    "help.action": {"en": "action", "ko": "동작"},
    "help.remap": {
        "en": "Remap any key in {path} under `keys:`, by the id in the last column (e.g. `check: f5`).",
        "ko": "{path}의 `keys:` 항목에서 마지막 열의 id로 키를 바꿀 수 있습니다 (예: `check: f5`).",
    },
    "help.palette": {"en": "Command palette: search exercises, change the theme", "ko": "명령 팔레트: 문제 검색, 테마 바꾸기"},
    "help.close": {"en": "Press escape to close.", "ko": "escape 키로 닫습니다."},
    "config.broken": {"en": "Your settings were not loaded (defaults are used, the file is left as it is): {error}", "ko": "설정을 읽지 못했습니다 (기본값을 쓰며 파일은 그대로 둡니다): {error}"},
    "config.not_saved": {"en": "Your {name} setting is used now but could not be saved: {error}", "ko": "{name} 설정은 지금 적용되지만 저장하지 못했습니다: {error}"},
    "ex.not_recorded": {"en": "The attempt could not be recorded: {error}", "ko": "시도를 기록하지 못했습니다: {error}"},
    "ex.already_checked": {"en": "This answer is already checked: its result is shown. Change it to check again.", "ko": "이미 채점한 답입니다. 결과가 표시되어 있습니다. 답을 고친 뒤 다시 채점하세요."},
    "ex.editor_not_text": {"en": "Your answer was not changed: {why}. What the editor saved is kept in {path}.", "ko": "답을 바꾸지 않았습니다: {why}. 편집기가 저장한 내용은 {path}에 남겨 두었습니다."},
    "search.placeholder": {"en": "Search exercises: words of the title, id or task", "ko": "문제 검색: 제목, id, 문제 내용의 단어"},
    "search.none": {"en": "No exercise has these words (escape closes the search)", "ko": "이 단어가 들어간 문제가 없습니다 (escape로 검색을 닫습니다)"},
    "palette.open": {"en": "Open exercise", "ko": "문제 열기"},
}

BINDING_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "help": {"en": ("Help", "Show every key"), "ko": ("도움말", "모든 단축키 보기")},
    "language": {"en": ("한국어", "Switch to Korean (한국어로 전환)"), "ko": ("English", "영어로 전환 (Switch to English)")},
    "quit": {"en": ("Quit", "Save and leave kubedojo"), "ko": ("종료", "저장하고 kubedojo를 끝냅니다")},
    "open": {"en": ("Open", "Open the selected exercise"), "ko": ("열기", "선택한 문제를 엽니다")},
    "next": {"en": ("Next", "Open what to practise next: failed and due first"), "ko": ("다음", "다음에 연습할 문제: 실패·복습 문제 먼저")},
    "filter-domain": {"en": ("Domain", "Cycle the domain filter"), "ko": ("영역", "영역 필터 바꾸기")},
    "filter-kind": {"en": ("Kind", "Cycle the kind filter"), "ko": ("유형", "유형 필터 바꾸기")},
    "filter-status": {"en": ("Status", "Cycle the status filter"), "ko": ("상태", "상태 필터 바꾸기")},
    "search": {"en": ("Search", "Search exercises by text"), "ko": ("검색", "문제를 글자로 찾기")},
    "check": {"en": ("Check", "Grade your answer (offline)"), "ko": ("채점", "답을 채점합니다 (오프라인)")},
    "hint": {"en": ("Hint", "Show the next hint"), "ko": ("힌트", "다음 힌트 보기")},
    "solution": {"en": ("Solution", "Show the solution and why (after an attempt)"), "ko": ("풀이", "풀이와 설명 보기 (채점 후)")},
    "editor": {"en": ("$EDITOR", "Edit the answer in your $EDITOR"), "ko": ("$EDITOR", "$EDITOR로 답을 편집합니다")},
    "next-exercise": {"en": ("Next", "Open what to practise next (failed and due first)"), "ko": ("다음", "다음에 연습할 문제 열기 (실패·복습 먼저)")},
    "back": {"en": ("Back", "Back to the exercise list (your draft is kept)"), "ko": ("목록", "문제 목록으로 (초안은 저장됩니다)")},
    "live-setup": {"en": ("Setup", "Create the exercise's namespace and starting objects on the cluster"), "ko": ("준비", "클러스터에 네임스페이스와 시작 오브젝트를 만듭니다")},
    "live-check": {"en": ("Check live", "Grade what is on the cluster"), "ko": ("실습 채점", "클러스터의 상태를 채점합니다")},
    "live-reset": {"en": ("Reset", "Delete what the exercise put on the cluster: its namespace and objects"), "ko": ("초기화", "문제가 클러스터에 만든 네임스페이스와 오브젝트를 지웁니다")},
    "live-shell": {"en": ("Shell", "Open $SHELL with the exercise's namespace set; exit to return"), "ko": ("셸", "네임스페이스가 설정된 $SHELL을 엽니다. exit로 돌아옵니다")},
    "close": {"en": ("Close", "Close this screen"), "ko": ("닫기", "이 화면을 닫습니다")},
    "select-all": {"en": ("Select all", "Select the whole answer"), "ko": ("모두 선택", "답 전체를 선택합니다")},
    "comment": {"en": ("Comment", "Comment out the selected lines, or uncomment them (ctrl+/)"), "ko": ("주석", "선택한 줄을 주석 처리하거나 해제합니다 (ctrl+/)")},
    "undo": {"en": ("Undo", "Undo the last edit"), "ko": ("되돌리기", "마지막 편집을 되돌립니다")},
    "redo": {"en": ("Redo", "Redo what was undone"), "ko": ("다시 실행", "되돌린 편집을 다시 합니다")},
    "select-line": {"en": ("Select line", "Select the cursor's line"), "ko": ("줄 선택", "커서가 있는 줄을 선택합니다")},
    "delete-to-end": {"en": ("Delete to end", "Delete to the line's end (the line, when empty)"), "ko": ("줄 끝까지 지우기", "줄 끝까지 지웁니다 (빈 줄이면 줄을 지웁니다)")},
}


from app.tui import strings_tools  # noqa: E402 (the tools' words, kept in their own module)

UI |= strings_tools.UI
BINDING_TEXT |= strings_tools.BINDING_TEXT


def t(key: str, lang: str, /, **values: object) -> str:
    """The text for `key` in `lang` (English if missing), with `values` filled in."""
    entry = UI[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def binding_text(binding_id: str, lang: str) -> tuple[str, str]:
    """(footer label, tooltip) of a binding."""
    entry = BINDING_TEXT[binding_id]
    return entry.get(lang) or entry["en"]
