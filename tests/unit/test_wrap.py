"""app.wrap: feedback wrapped to a width breaks long paths at their separators, never mid-word, with a hanging indent."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text

from app.wrap import clip, pieces, wrap

PATH = "spec.containers[probe].livenessProbe.periodSecond:"
MESSAGES = {
    "en": f'! line 13: {PATH} unknown field "periodSecond"; did you mean "periodSeconds"?\n  hint: Rename `periodSecond`.',
    "ko": f'! 줄 13: {PATH} 알 수 없는 필드 "periodSecond"입니다. "periodSeconds"을(를) 쓰려던 것인가요?\n  힌트: 철자를 확인하세요.',
}


def test_a_path_is_cut_only_after_its_dots_and_before_its_brackets():
    assert pieces(PATH) == ["spec.", "containers", "[probe].", "livenessProbe.", "periodSecond:"]
    assert "".join(pieces("https://kubernetes.io/docs/a-b#c")) == "https://kubernetes.io/docs/a-b#c"


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("width", [24, 36, 78, 118])
def test_lines_fit_hang_under_their_start_and_keep_every_word_whole(lang, width):
    text = MESSAGES[lang]
    lines = [line.plain for line in wrap(Text(text), width, 2)]
    assert all(cell_len(line) <= width for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])  # the hanging indent
    words = set(text.replace("\n", " ").split()) - {PATH}
    shown = " ".join(line.strip() for line in lines)
    assert words <= set(shown.split())  # no word but the long path is cut
    assert PATH.split(".")[1].split("[")[0] in shown.replace(" ", "")  # the path is all there, cut at its dots


def test_a_word_without_separators_longer_than_a_line_is_folded_as_a_last_resort():
    assert [line.plain for line in wrap(Text("a" * 25), 10, 2)] == ["a" * 10, "  " + "a" * 8, "  " + "a" * 7]


@pytest.mark.parametrize(("text", "cells", "shown"), [
    ("  현재 컨텍스트에 기본 네임스페이스를 두기", 27, "  현재 컨텍스트에 기본 네…"),  # rich's ellipsis said `네 …`
    ("Back up etcd with etcdctl snapshot", 27, "Back up etcd with etcdctl…"),  # no space before the `…`
    ("클러스터 아키텍처, 설치 및 구성", 24, "클러스터 아키텍처, 설치…"),
    ("짧은 제목", 9, "짧은 제목"),
    ("짧은 제목", 8, "짧은 제…"),
])
def test_clip_cuts_by_cells_and_never_halves_a_korean_letter_into_a_space(text, cells, shown):
    assert clip(text, cells) == shown
    assert cell_len(clip(text, cells)) <= cells


def test_an_exam_label_is_padded_to_its_cells_after_a_clean_cut():
    from app.exam_export import pad

    assert pad("클러스터 아키텍처, 설치 및 구성", 25) == "클러스터 아키텍처, 설치… "
    assert cell_len(pad("클러스터 아키텍처, 설치 및 구성", 24)) == 24 and pad("ab", 4) == "ab  "


KIND_URL = "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("width", [24, 37, 68, 78, 118])
def test_a_url_is_never_broken_and_takes_a_line_of_its_own_when_it_does_not_fit(lang, width):
    from graders.practice import INSTALL, INSTALL_KO

    message = (INSTALL_KO if lang == "ko" else INSTALL)["kind"]
    lines = [line.plain for line in wrap(Text(message), width, 2)]
    holding = [line for line in lines if KIND_URL in line]
    assert len(holding) == 1, lines  # whole, on one line
    assert not any(piece in line for line in lines for piece in ("quick-start/", "#installation") if KIND_URL not in line)
    if cell_len(KIND_URL) + 4 > width:  # it cannot fit: alone on its line, with its brackets
        assert holding[0].strip().strip("()를") == KIND_URL
    assert all(cell_len(line) <= width for line in lines if KIND_URL not in line)


def test_an_inline_url_stays_with_its_sentence_when_the_line_has_room():
    assert [line.plain for line in wrap(Text(f"see {KIND_URL}."), 80)] == [f"see {KIND_URL}."]
    assert [line.plain for line in wrap(Text(f"see the guide at {KIND_URL}."), 40)] == ["see the guide at", f"{KIND_URL}."]
