"""The YAML, schema and command-line parsers' messages in every language: a catalog of templates, matched on the English."""

from __future__ import annotations

import re
from functools import lru_cache

from graders.messages import Text

CATALOG: dict[str, tuple[str, str]] = {
    # the answer text (graders/source.py, graders/yaml_mistakes.py)
    "source.not-text": ("the answer is {type}, expected text", "답이 텍스트가 아닙니다 ({type})"),
    "source.bad-character": ("the answer contains a character that is not valid text", "답에 올바른 텍스트가 아닌 문자가 있습니다"),
    "source.too-big": ("the answer is {size} bytes; the limit is {limit} bytes (1 MiB)", "답이 {size}바이트입니다. 한도는 {limit}바이트(1 MiB)입니다"),
    "source.yaml-character": ("the answer contains a character YAML does not allow ({code})", "답에 YAML이 허용하지 않는 문자가 있습니다 ({code})"),
    "source.duplicate-key": ("duplicate key `{name}` (first written on line {first})", "키 `{name}`이(가) 중복되었습니다 (처음 나온 곳: {first}번째 줄)"),
    "source.too-deep": ("the answer is nested more than {depth} levels deep", "답이 {depth}단계보다 깊게 중첩되어 있습니다"),
    "source.too-many-documents": ("the answer has more than {count} documents {rest}", "답의 문서가 {count}개보다 많습니다 {rest}"),
    "source.document-kind": ("document {position} is {what}, expected a {rest}", "{position}번째 문서가 {what}입니다. 다음이어야 합니다: {rest}"),
    "source.list-item": ("document {position}, item {item} of the List is {rest}", "{position}번째 문서의 List 항목 {item}이(가) 잘못되었습니다: {rest}"),
    "source.stopped": ("{what} (the YAML parser stopped at line {line}, column {column}: {problem})",
                       "{what} (YAML 파서가 {line}번째 줄 {column}열에서 멈췄습니다: {problem})"),
    "yaml.tab": ("tab character used for indentation", "들여쓰기에 탭 문자를 썼습니다"),
    "yaml.unclosed-quote": ("this quote is never closed", "따옴표가 닫히지 않았습니다"),
    "yaml.unclosed": ("this `{opening}` is not closed, or misses a comma, before line {line}", "이 `{opening}`이(가) {line}번째 줄 전에 닫히지 않았거나 쉼표가 빠졌습니다"),
    "yaml.misindented": ("`{key}:` is mis-indented: it {why}", "`{key}:`의 들여쓰기가 잘못되었습니다: {why}"),
    "yaml.dash-lined-up": ("lines up with the dash of the list above", "위 목록의 대시(-)와 같은 위치에 있습니다"),
    "yaml.deeper": ("is indented deeper than the key above it", "위의 키보다 더 깊게 들여쓰기되었습니다"),
    "yaml.mapping-values": ("mapping values are not allowed here", "여기에는 매핑 값(key: value)을 쓸 수 없습니다"),
    "yaml.expected-colon": ("could not find expected ':'", "':'이(가) 있어야 할 곳에 없습니다"),
    "yaml.block-end": ("expected <block end>, but found {found}", "블록이 끝나야 하는데 {found}이(가) 있습니다"),
    "yaml.block-mapping": ("did not find expected key", "있어야 할 키가 없습니다"),
    "yaml.token": ("found character {char} that cannot start any token", "어떤 토큰도 시작할 수 없는 문자 {char}이(가) 있습니다"),
    "yaml.alias": ("found undefined alias {alias}", "정의되지 않은 별칭(alias) {alias}이(가) 있습니다"),
    "yaml.self-alias": ("alias *{alias} refers to a value that contains it", "별칭 *{alias}이(가) 자신을 포함하는 값을 가리킵니다"),
    "yaml.alias-depth": ("aliases nest the answer more than {depth} levels deep", "별칭 때문에 답이 {depth}단계보다 깊게 중첩됩니다"),
    "yaml.too-many-values": ("the answer has more than {count} values ({why})", "답의 값이 {count}개보다 많습니다 ({why})"),
    "yaml.unexpected": ("unexpected {what}", "예상하지 못한 {what}"),
    # the schema (graders/schema.py)
    "schema.not-object": ("expected a Kubernetes object", "쿠버네티스 오브젝트가 있어야 합니다"),
    "schema.too-deep": ("the object is nested too deeply to check", "오브젝트가 너무 깊게 중첩되어 검사할 수 없습니다"),
    "schema.missing-top": ("missing field \"{field}\"; every Kubernetes object {rest}", "필드 \"{field}\"이(가) 없습니다. 모든 쿠버네티스 오브젝트에는 이 필드가 필요합니다 ({rest})"),
    "schema.not-string": ("{field}: expected a string, got {got}", "{field}: 문자열이어야 하는데 {got}입니다"),
    "schema.wrong-group": ("apiVersion \"{api}\" has no kind {kind}; {rest}", "apiVersion \"{api}\"에는 kind {kind}이(가) 없습니다. {rest}"),
    "schema.unknown-kind-version": ("unknown kind \"{kind}\" in Kubernetes {version}", "쿠버네티스 {version}에 없는 kind \"{kind}\""),
    "schema.unknown-kind-guess": ("unknown kind \"{kind}\"; did you mean \"{guess}\"?", "알 수 없는 kind \"{kind}\". \"{guess}\"을(를) 쓰려던 것인가요?"),
    "schema.unknown-kind": ("unknown kind \"{kind}\"", "알 수 없는 kind \"{kind}\""),
    "schema.required": ("{where}: missing required field \"{field}\"", "{where}: 필수 필드 \"{field}\"이(가) 없습니다"),
    "schema.type": ("{where}: expected {names}, got {got}", "{where}: {names}이어야 하는데 {got}입니다"),
    "schema.quantity": ("{where}: \"{value}\" is not a valid quantity", "{where}: \"{value}\"은(는) 올바른 수량(quantity)이 아닙니다"),
    "schema.quantity-type": ("{where}: expected a quantity (a number or a string such as {rest}", "{where}: 수량(quantity)이어야 합니다 (숫자 또는 다음과 같은 문자열: {rest}"),
    "schema.int32": ("{where}: {value} does not fit an int32 (from {low} to {high})", "{where}: {value}은(는) int32 범위({low} ~ {high})를 벗어납니다"),
    "schema.int-or-string": ("{where}: expected an integer or a string, got {got}", "{where}: 정수나 문자열이어야 하는데 {got}입니다"),
    "schema.range": ("{where}: {value} does not fit an {type} (from {low} to {high})", "{where}: {value}은(는) {type} 범위({low} ~ {high})를 벗어납니다"),
    "schema.enum": ("{where}: \"{value}\" is not one of {choices}", "{where}: \"{value}\"은(는) 다음 중 하나가 아닙니다: {choices}"),
    "schema.unknown-field-dash": ("{where}: unknown field \"{key}\"; a list item needs a space after the dash",
                                  "{where}: 알 수 없는 필드 \"{key}\". 목록 항목은 대시(-) 뒤에 공백이 있어야 합니다"),
    "schema.unknown-field-guess": ("{where}: unknown field \"{key}\"; did you mean \"{guess}\"?",
                                   "{where}: 알 수 없는 필드 \"{key}\". \"{guess}\"을(를) 쓰려던 것인가요?"),
    "schema.unknown-field": ("{where}: unknown field \"{key}\"", "{where}: 알 수 없는 필드 \"{key}\""),
    # the command line (graders/kubectl_shell.py, graders/kubectl.py)
    "command.empty": ("empty command", "명령이 비어 있습니다"),
    "command.not-kubectl": ("not a kubectl command: {program}", "kubectl 명령이 아닙니다: {program}"),
    "command.no-verb": ("no kubectl verb: expected e.g. get, run, create", "kubectl 하위 명령이 없습니다: get, run, create 같은 것이 있어야 합니다"),
    "command.bad-flag": ("bad flag syntax: {flag}", "플래그 형식이 잘못되었습니다: {flag}"),
    "command.flag-argument": ("flag needs an argument: {flag}", "플래그에 값이 필요합니다: {flag}"),
    "command.redirect-target": ("redirect {redirect} needs a target", "리다이렉트 {redirect}에 대상이 필요합니다"),
    "command.single-quote": ("unbalanced ' quote", "작은따옴표(')가 짝이 맞지 않습니다"),
    "command.double-quote": ("unbalanced \" quote", "큰따옴표(\")가 짝이 맞지 않습니다"),
    "command.backslash": ("nothing after backslash", "백슬래시 뒤에 아무것도 없습니다"),
    "command.backtick": ("unclosed ` (command substitution)", "명령 치환의 `이(가) 닫히지 않았습니다"),
    "command.unclosed": ("unclosed {opening} (no matching {closing})", "{opening}이(가) 닫히지 않았습니다 (짝이 되는 {closing}이(가) 없습니다)"),
    "command.open-paren": ("unexpected ( (quote it, or start a subshell on its own)", "예상하지 못한 ( (따옴표로 감싸거나 서브셸을 따로 시작하세요)"),
    "command.close-paren": ("unexpected ) (no ( before it)", "예상하지 못한 ) (앞에 ( 가 없습니다)"),
    "command.unexpected": ("unexpected {what}", "예상하지 못한 {what}"),
    "command.dangling": ("nothing after {operator}", "{operator} 뒤에 아무것도 없습니다"),
    "command.subshell": ("unclosed ( (subshell)", "서브셸의 ( 가 닫히지 않았습니다"),
}
"""Key -> (English template, Korean template); each parser message is one English template filled in."""

_FIELD = re.compile(r"\{(\w+)\}")
MAX_MATCHED_CHARS = 600
"""Longer messages (they quote a long piece of the answer) are shown as written, in English."""


@lru_cache(maxsize=None)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for key, (en, _) in CATALOG.items():
        parts = _FIELD.split(en)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        found.append((key, re.compile(regex + r"\Z", re.DOTALL)))
    return sorted(found, key=lambda item: -len(CATALOG[item[0]][0]))  # the most specific template first


def translated(message: str, lang: str, depth: int = 0) -> Text:
    """A parser's English message as a Text in both languages (with its key and values when a template matches;
    values that are parser messages themselves, a YAML problem inside a schema message, are translated too)."""
    if isinstance(message, Text):
        return message
    if len(message) > MAX_MATCHED_CHARS:  # a template with a leading placeholder would scan it over and over
        return Text({"en": message, "ko": message}, lang)
    for key, pattern in _patterns():
        m = pattern.match(message)
        if m is None:
            continue
        values = m.groupdict()
        ko_values = {k: (translated(v, "ko", depth + 1).render("ko") if depth < 2 else v) for k, v in values.items()}
        return Text({"en": message, "ko": CATALOG[key][1].format(**ko_values)}, lang, key, values)
    return Text({"en": message, "ko": message}, lang)
