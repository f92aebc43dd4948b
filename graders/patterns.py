"""Regular expressions from packs: compiled once when the pack loads, run on answers with a time bound.

The `regex` engine reads Python's `re` syntax (bundled packs use lookaheads, which RE2 refuses) and, unlike
`re`, takes a timeout and releases the GIL while it matches, so a catastrophic pattern such as `(a|aa)+$`
on a crafted answer costs at most about MATCH_SECONDS, never a hang of the app or the CLI.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

MATCH_SECONDS = 0.2
"""Longest one pattern may run on one value; a real pattern on a real answer takes microseconds."""
IGNORECASE = regex.IGNORECASE


class PatternTimeout(ValueError):
    """A pack's pattern ran longer than MATCH_SECONDS on a value from the answer."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        super().__init__(self.say("en"))

    def say(self, lang: str) -> str:
        """What happened, for the report, in English or Korean."""
        shown = self.pattern if len(self.pattern) <= 60 else self.pattern[:57] + "..."
        if lang == "ko":
            return (f"팩의 패턴 /{shown}/이(가) 이 답에서 {MATCH_SECONDS}초 넘게 실행되어 검사하지 못했습니다 "
                    "(패턴이 지나치게 백트래킹합니다: 팩 작성자가 패턴을 단순하게 고쳐야 합니다)")
        return (f"the pack's pattern /{shown}/ ran longer than {MATCH_SECONDS} s on this answer, so the check "
                "could not be made (the pattern backtracks catastrophically: the pack's author should simplify it)")


def pattern_problem(pattern: str, flags: int = 0) -> str | None:
    """Why `pattern` is not a regular expression kubedojo can run, or None when it is."""
    try:
        compiled(pattern, flags)
    except regex.error as err:
        where = f" at position {err.pos}" if getattr(err, "pos", None) is not None else ""
        return f"/{pattern[:60]}/ is not a regular expression: {getattr(err, 'msg', err)}{where}"
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as err:
        return f"/{pattern[:60]}/ is not a regular expression: {err}"
    return None


@lru_cache(maxsize=1024)
def compiled(pattern: str, flags: int = 0) -> Any:
    return regex.compile(pattern, flags)


def full_match(pattern: str, text: str, flags: int = 0) -> bool:
    """Whether the whole of `text` matches `pattern`; PatternTimeout when it takes too long."""
    try:
        return compiled(pattern, flags).fullmatch(text, timeout=MATCH_SECONDS, concurrent=True) is not None
    except TimeoutError:
        raise PatternTimeout(pattern) from None
