#!/usr/bin/env bash
# The whole test suite, from a fresh clone: install kubedojo with its test extras, build the test
# control plane (cached after the first run), then run pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
if [ -f tests/cluster/controlplane.py ]; then
  python3 -m tests.cluster.controlplane build
fi
exec python3 -m pytest "$@"
