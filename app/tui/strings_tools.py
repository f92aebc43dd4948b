"""Words of the app's tools beside the task: starting a practice cluster, the terminal pane, kubectl output."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "up.offer": {
        "en": "{up} starts a practice cluster here (kind: `kubedojo cluster up`) · {retry} looks for the cluster again",
        "ko": "{up} 키로 연습용 클러스터를 만듭니다 (kind: `kubedojo cluster up`) · {retry} 키로 클러스터를 다시 찾습니다",
    },
    "up.title": {"en": "Starting a practice cluster (kubedojo cluster up)", "ko": "연습용 클러스터 만드는 중 (kubedojo cluster up)"},
    "up.running": {"en": "Working… (escape hides this; it goes on)", "ko": "진행 중… (escape로 닫아도 계속됩니다)"},
    "up.done": {"en": "✔ {message}. Press escape to go back to the exercise.", "ko": "✔ {message}. escape 키로 문제로 돌아갑니다."},
    "up.failed": {"en": "✘ {message}. Press {key} to try again, escape to go back.", "ko": "✘ {message}. {key} 키로 다시 시도하고, escape로 돌아갑니다."},
    "up.already": {"en": "A cluster is being started already.", "ko": "이미 클러스터를 만드는 중입니다."},
    "up.finished": {"en": "Practice cluster: {message}", "ko": "연습용 클러스터: {message}"},
    "live.why_not": {
        "en": "{what} needs a cluster, and none answers: {why}. Press {up} to start one (kind: `kubedojo cluster up`), {retry} to look again.",
        "ko": "{what}에는 클러스터가 필요한데 연결된 클러스터가 없습니다: {why}. {up} 키로 만들거나 (kind: `kubedojo cluster up`) {retry} 키로 다시 찾으세요.",
    },
    "live.still_looking": {"en": "Still looking for the cluster; try again in a moment.", "ko": "클러스터를 찾는 중입니다. 잠시 뒤 다시 시도하세요."},
    "live.busy": {"en": "The cluster is busy with the last action; wait for its result.", "ko": "클러스터가 이전 작업을 처리 중입니다. 결과를 기다리세요."},
    "live.only_check": {
        "en": "This exercise is graded on the cluster: {key} checks it live.",
        "ko": "이 문제는 클러스터에서 채점합니다: {key} 키로 실습 채점하세요.",
    },
    "live.looking_again": {"en": "Looking for the cluster again…", "ko": "클러스터를 다시 찾는 중…"},
    "term.title": {"en": "terminal · {context} · namespace {namespace}", "ko": "터미널 · {context} · 네임스페이스 {namespace}"},
    "term.ended": {"en": "The shell ended ({code}); {key} opens a new one.", "ko": "셸이 끝났습니다 ({code}). {key} 키로 새로 엽니다."},
    "term.no_shell": {"en": "No terminal when the app is served to browsers (start `kubedojo serve --allow-shell` to allow it).", "ko": "브라우저로 제공할 때는 터미널을 열 수 없습니다 (`kubedojo serve --allow-shell`로 허용)."},
    "term.failed": {"en": "The terminal could not start: {error}", "ko": "터미널을 열 수 없습니다: {error}"},
    "kubectl.prompt": {
        "en": "A kubectl command with --dry-run=client; its YAML goes into your answer at the cursor",
        "ko": "--dry-run=client가 붙은 kubectl 명령. 출력된 YAML이 커서 위치에 들어갑니다",
    },
    "kubectl.inserted": {"en": "Inserted {lines} lines from: {command}", "ko": "{command}의 출력 {lines}줄을 넣었습니다"},
    "kubectl.failed": {"en": "Nothing inserted: {why}", "ko": "넣지 않았습니다: {why}"},
}

BINDING_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "cluster-up": {"en": ("Start cluster", "Start a practice cluster here (kind), with its progress"), "ko": ("클러스터 만들기", "연습용 클러스터를 만듭니다 (kind), 진행 상황 표시")},
    "cluster-retry": {"en": ("Look again", "Look for the cluster again now"), "ko": ("다시 찾기", "클러스터를 지금 다시 찾습니다")},
    "terminal": {"en": ("Terminal", "A shell beside the task, in the exercise's namespace; the key again leaves it"), "ko": ("터미널", "문제 옆의 셸 (문제의 네임스페이스). 다시 누르면 나옵니다")},
    "kubectl-insert": {"en": ("kubectl→YAML", "Run a kubectl --dry-run=client command and insert its YAML"), "ko": ("kubectl→YAML", "kubectl --dry-run=client 명령을 실행해 YAML을 넣습니다")},
    "up-again": {"en": ("Try again", "Run cluster up again"), "ko": ("다시 시도", "cluster up을 다시 실행합니다")},
}
