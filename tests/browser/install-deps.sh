#!/bin/sh
# Debian's chromium for the browser tests (`kubedojo serve` driven by playwright). Without it the browser
# tests skip and say why.
exec sh "$(dirname "$0")/../install-debian.sh" "the browser tests will skip" chromium
