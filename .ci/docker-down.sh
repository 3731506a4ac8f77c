#!/usr/bin/env bash
# Stops the dockerd that docker-up.sh started, and nothing else: an engine that was
# already running (or started by someone else) is left alone.
set -euo pipefail

PIDFILE=/tmp/cct-dockerd.pid

[ -f "$PIDFILE" ] || exit 0
pid="$(cat "$PIDFILE")"
# The pid may have been reused after a crash or reboot; only signal a dockerd.
if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
  echo "docker-down.sh: stopping dockerd (pid $pid)" >&2
  kill -TERM "$pid"
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "docker-down.sh: dockerd (pid $pid) still running after 20 s" >&2
    exit 1
  fi
fi
rm -f "$PIDFILE"
