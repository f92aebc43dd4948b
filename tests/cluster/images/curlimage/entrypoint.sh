#!/bin/sh
# What curlimages/curl's entrypoint does: arguments that start with a dash are curl's.
if [ "${1#-}" != "$1" ]; then
  set -- curl "$@"
fi
exec "$@"
