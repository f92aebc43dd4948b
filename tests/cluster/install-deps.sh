#!/bin/sh
# Debian packages the test cluster's real nodes need (container runtime, CNI plugins, busybox for the
# images, iptables for kube-proxy). Idempotent: installs only what is missing; needs root and apt.
# Without them (no apt, not root) the test cluster falls back to kwok-only nodes and says why.
set -u

PACKAGES="containerd runc containernetworking-plugins busybox-static iptables"

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
  echo "install-deps: no apt-get here; missing:$missing (the test cluster will use kwok-only nodes)" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: not root, cannot install:$missing (the test cluster will use kwok-only nodes)" >&2
  exit 0
fi
started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
# --no-install-recommends: containerd would otherwise pull in a docker-ish toolchain we do not run.
if ! apt-get update -qq || ! apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
  echo "install-deps: apt could not install:$missing (the test cluster will use kwok-only nodes)" >&2
  exit 0
fi
echo "install-deps: installed$missing in $(( $(date +%s) - started )) s" >&2
