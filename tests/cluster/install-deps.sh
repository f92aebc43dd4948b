#!/bin/sh
# Debian packages the test cluster's real nodes need (container runtime, CNI plugins, busybox for the
# images, iptables for kube-proxy). Without them the test cluster falls back to kwok-only nodes and says why.
exec sh "$(dirname "$0")/../install-debian.sh" "the test cluster will use kwok-only nodes" \
  containerd runc containernetworking-plugins busybox-static iptables
