#!/bin/sh
# Usage: install-debian.sh "WHAT HAPPENS WITHOUT THEM" PACKAGE...
# Installs the Debian packages a group of tests needs. Idempotent: installs only what is missing; needs root
# and apt. It never fails the run: without the packages the tests that need them say why (the message).
set -u
without=$1
shift

missing=""
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
if [ -z "$missing" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: no apt-get here; missing:$missing ($without)" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: not root, cannot install:$missing ($without)" >&2
  exit 0
fi
started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
# --no-install-recommends: containerd would otherwise pull in a docker-ish toolchain we do not run.
if ! apt-get update -qq || ! apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
  echo "install-deps: apt could not install:$missing ($without)" >&2
  exit 0
fi
echo "install-deps: installed$missing in $(( $(date +%s) - started )) s" >&2
