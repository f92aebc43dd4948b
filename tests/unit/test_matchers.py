"""Matchers: every operator, including the equivalent forms a grader must accept."""

import pytest
from pydantic import ValidationError

from exercises.model import Matcher
from graders.matchers import MISSING, checked_file, expected_text, matches, quantity

CASES = [
    # (matcher, value, expected verdict)
    ({"equals": "nginx:1.14"}, "nginx:1.14", True),
    ({"equals": "nginx:1.14"}, "nginx:1.15", False),
    ({"equals": 80}, 80, True),
    ({"equals": 80}, 80.0, True),
    ({"equals": 80}, "80", False),
    ({"equals": True}, 1, False),
    ({"equals": "x"}, MISSING, False),
    ({"one_of": ["nginx", "nginx:latest"]}, "nginx:latest", True),
    ({"one_of": ["nginx", "nginx:latest"]}, "nginx:1.14", False),
    ({"matches": "nginx(:1\\.14)?"}, "nginx:1.14", True),
    ({"matches": "nginx"}, "nginx:1.14", False),
    ({"contains": "sleep"}, "sleep 10000", True),
    ({"contains": "/tmp/healthy"}, ["ls", "/tmp/healthy"], True),
    ({"contains": "x"}, ["ls"], False),
    ({"exists": True}, "", True),
    ({"exists": True}, MISSING, False),
    ({"absent": True}, MISSING, True),
    ({"absent": True}, 0, False),
    ({"set_equals": ["a", "b"]}, ["b", "a"], True),
    ({"set_equals": ["a", "b"]}, ["a"], False),
    ({"set_equals": ["a"]}, "a", False),
    ({"at_least": 1}, 2, True),
    ({"at_least": 1}, 0, False),
    ({"at_most": 3}, 3, True),
    ({"at_least": 1}, True, False),
    ({"quantity_equals": "500m"}, 0.5, True),
    ({"quantity_equals": "500m"}, "0.5", True),
    ({"quantity_equals": "128Mi"}, "134217728", True),
    ({"quantity_equals": "128Mi"}, "128M", False),
    ({"quantity_at_least": "64Mi"}, "128Mi", True),
    ({"quantity_at_most": "1"}, "1500m", False),
    ({"quantity_equals": "1"}, "lots", False),
    ({"checks_file": "/tmp/healthy"}, ["ls", "/tmp/healthy"], True),
    ({"checks_file": "/tmp/healthy"}, ["cat", "/tmp/healthy"], True),
    ({"checks_file": "/tmp/healthy"}, ["test", "-f", "/tmp/healthy"], True),
    ({"checks_file": "/tmp/healthy"}, ["/bin/sh", "-c", "test -e /tmp/healthy"], True),
    ({"checks_file": "/tmp/healthy"}, ["sh", "-c", "[ -f /tmp/healthy ]"], True),
    ({"checks_file": "/tmp/healthy"}, ["ls", "/tmp/other"], False),
    ({"checks_file": "/tmp/healthy"}, ["ls /tmp/healthy"], False),
    ({"checks_file": "/tmp/healthy"}, ["sh", "-c", "ls /tmp/healthy || true"], False),
    ({"checks_file": "/tmp/healthy"}, ["echo", "/tmp/healthy"], False),
    ({"command_runs": "sleep 10000"}, ["sleep", "10000"], True),
    ({"command_runs": "sleep 10000"}, ["/bin/sh", "-c", "sleep 10000"], True),
    ({"command_runs": "sleep 10000"}, ["sleep", "1000"], False),
    ({"command_runs": "sleep 10000"}, ["/bin/sh", "-c", "exec sleep 10000"], True),
    ({"one_of": [None, "false"]}, MISSING, True),
    ({"one_of": [None, "false"]}, "false", True),
    ({"one_of": [None, "false"]}, "true", False),
    ({"one_of": ["false"]}, MISSING, False),
    ({"command_runs": "sleep 10000"}, ["sh", "-c", "exec sleep 1000"], False),
    ({"command_runs": "sleep 10000"}, ["exec", "sleep", "10000"], False),
    ({"command_runs": "sleep 10000"}, "sleep 10000", False),
]


@pytest.mark.parametrize(("spec", "value", "verdict"), CASES, ids=[f"{list(s)[0]}-{i}" for i, (s, _, _) in enumerate(CASES)])
def test_matcher_verdicts(spec, value, verdict):
    assert matches(Matcher(**spec), value) is verdict


def test_a_matcher_sets_exactly_one_operator():
    with pytest.raises(ValidationError, match="exactly one"):
        Matcher(equals=1, one_of=[1])
    with pytest.raises(ValidationError, match="exactly one"):
        Matcher()


def test_quantity_uses_the_clients_units():
    assert quantity("1") == quantity("1000m")
    assert quantity("1Gi") == 1024**3
    assert quantity(None) is None


def test_checked_file_reads_shell_forms():
    assert checked_file(["bash", "-c", "cat /data/file"]) == "/data/file"
    assert checked_file(["sh", "-c", "ls 'unbalanced"]) is None
    assert checked_file([]) is None


def test_expected_text_speaks_both_languages():
    m = Matcher(checks_file="/tmp/healthy")
    assert "`ls /tmp/healthy`" in expected_text(m, "en")
    assert "확인하는 명령" in expected_text(m, "ko")
