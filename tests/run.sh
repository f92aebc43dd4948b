#!/usr/bin/env bash
# The whole test suite, from a fresh clone. Extra arguments go to pytest.
#
#   bash tests/run.sh                    # everything: installs the pinned versions, builds and starts
#                                        # the test control plane when a selected test needs it
#   bash tests/run.sh -m "not cluster"   # the day-to-day loop: no control plane is built or started
#   bash tests/run.sh --latest [...]     # the same with the newest versions pyproject.toml allows,
#                                        # to see an upcoming break before users do
#
# Packages go into a virtualenv of the suite's own (.venv, or .venv-latest; KUBEDOJO_TEST_VENV
# overrides), so nothing left over on the machine decides what is tested. The pins live in
# tests/constraints.txt; refresh them on purpose with `bash tests/run.sh --refresh-pins`.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=pinned
case "${1:-}" in
  --latest) mode=latest; shift ;;
  --refresh-pins) mode=refresh; shift ;;
esac

venv="${KUBEDOJO_TEST_VENV:-.venv}"
[ "$mode" = pinned ] || venv="${KUBEDOJO_TEST_VENV:-.venv-latest}"

started=$(date +%s)
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
if [ "$mode" = pinned ]; then
  "${pip[@]}" --constraint tests/constraints.txt -e '.[test]'
else
  "${pip[@]}" --upgrade --upgrade-strategy eager -e '.[test]'
fi
if [ "$mode" = refresh ]; then
  {
    echo "# The versions the test suite was proven with; tests/run.sh installs exactly these."
    echo "# Refreshed on purpose by \`bash tests/run.sh --refresh-pins\` (newest allowed, then the suite runs)."
    "$venv/bin/python" -m pip freeze --exclude-editable --disable-pip-version-check
  } > tests/constraints.txt
  echo "tests/constraints.txt now pins what $venv has; running the suite with it"
fi
export KUBEDOJO_PHASE_INSTALL_SECONDS=$(( $(date +%s) - started ))
echo "install ($mode, $venv): ${KUBEDOJO_PHASE_INSTALL_SECONDS} s"

export PATH="$(cd "$venv/bin" && pwd):$PATH"   # `kubedojo` and `python` in subprocesses are the suite's own
exec "$venv/bin/python" -m pytest "$@"
