#!/bin/sh
# What the nginx image's entrypoint prints before it starts nginx.
echo "/docker-entrypoint.sh: Configuration complete; ready for start up"
exec "$@"
