#!/bin/sh
# Debian's chromium for the browser tests (`kubedojo serve` driven by playwright). Idempotent: installs
# only what is missing; needs root and apt. Without it the browser tests skip and say why.
set -u

PACKAGES="chromium"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
if [ -z "$missing" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: no apt-get here; missing:$missing (the browser tests will skip)" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: not root, cannot install:$missing (the browser tests will skip)" >&2
  exit 0
fi
started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq || ! apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
  echo "install-deps: apt could not install:$missing (the browser tests will skip)" >&2
  exit 0
fi
echo "install-deps: installed$missing in $(( $(date +%s) - started )) s" >&2
