"""Pack patterns: refused when they do not compile, bounded in time when they backtrack catastrophically."""

import time

import pytest

from exercises.model import Matcher, QuizSpec
from graders.patterns import MATCH_SECONDS, PatternTimeout, full_match, pattern_problem

HANG_BOUND_SECONDS = 10 * MATCH_SECONDS + 5
"""Far above the bound a runaway pattern is stopped at: only a hang trips it."""


@pytest.mark.parametrize("pattern", ["(unclosed", "a{2,1}", "*start", "trailing\\", "[z-a]"])
def test_a_pattern_that_does_not_compile_is_refused_with_why(pattern):
    problem = pattern_problem(pattern)
    assert problem and problem.startswith(f"/{pattern}/ is not a regular expression: ")
    with pytest.raises(ValueError, match="is not a regular expression"):
        Matcher(matches=pattern)
    with pytest.raises(ValueError, match="is not a regular expression"):
        QuizSpec(style="short", accepted_patterns=[pattern])


@pytest.mark.parametrize("pattern", [
    r"(?=.*\s--cacert[= ]/x(\s|$))(?!.*--endpoints)\s*etcdctl\s.*",  # lookarounds, as a bundled quiz uses
    r"(?s).*\bnslookup\s+myservice\b.*",
    r"(?<=a+)b|x",  # variable-width lookbehind, which `re` refuses
])
def test_the_syntax_packs_use_compiles(pattern):
    assert pattern_problem(pattern) is None


@pytest.mark.parametrize(("pattern", "text"), [
    ("(a|aa)+", "a" * 60 + "!"),
    ("(a|a)*b", "a" * 5000),
    ("(x+x+)+y", "x" * 5000),
])
def test_a_catastrophic_pattern_is_stopped_not_waited_on(pattern, text):
    start = time.perf_counter()
    try:
        matched = full_match(pattern, text)
    except PatternTimeout as err:
        assert pattern in str(err) and "ran longer than" in str(err) and "백트래킹" in err.say("ko")
    else:
        assert matched is False  # the engine may also see through it quickly
    assert time.perf_counter() - start < HANG_BOUND_SECONDS


def test_full_match_means_the_whole_text():
    assert full_match(r"nginx(:1\.14)?", "nginx:1.14") and not full_match("nginx", "nginx:1.14")
