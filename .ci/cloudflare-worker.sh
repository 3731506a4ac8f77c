#!/usr/bin/env bash
# Serves the cct Cloudflare Worker locally (its real HTTP layer over the in-memory stub backend)
# for the Java client's contract tests.
#
#   url=$(CCT_WORKER_TOKEN=... bash .ci/cloudflare-worker.sh start PORT)   # prints only the base URL
#   bash .ci/cloudflare-worker.sh stop
#
# start: installs the Worker's npm dependencies (npm ci, skipped when node_modules matches the
# lock file), type-checks it (fails loudly), runs its unit tests, starts `wrangler dev --local` in
# the background and waits for GET /health. The token reaches wrangler through a mode-600 env file
# outside the clone, never through argv (ps shows argv to every user). stop: kills the process
# group start created and removes the temp files.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
worker="$here/components/sandbox/cloudflare"
state="${CCT_WORKER_STATE:-${TMPDIR:-/tmp}/cct-cloudflare-worker-$(id -u)}"

# No login, no telemetry, no interactive UI, no update checks.
export WRANGLER_SEND_METRICS=false CI=true NO_UPDATE_NOTIFIER=1 WRANGLER_LOG=warn
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

log() { echo "cloudflare-worker: $*" >&2; }

start() {
  local port=${1:?usage: cloudflare-worker.sh start PORT}
  local token=${CCT_WORKER_TOKEN:?CCT_WORKER_TOKEN must hold the bearer token}
  if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
    log "already running (pid $(cat "$state/pid")); stop it first"
    exit 1
  fi
  rm -rf "$state"
  mkdir -p "$state"
  chmod 700 "$state"

  cd "$worker"
  # npm ci wipes node_modules; skip it when the installed tree already matches the lock file.
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.cct-lock; then
    log "installing npm dependencies"
    npm ci --no-audit --no-fund --loglevel=error >&2
    cp package-lock.json node_modules/.cct-lock
  fi
  log "type-checking"
  if ! npx --no-install tsc --noEmit -p . >&2; then
    log "the Worker does not type-check"
    exit 1
  fi
  log "unit tests"
  if ! node test/run.mjs >"$state/unit.log" 2>&1; then
    cat "$state/unit.log" >&2
    log "the Worker's unit tests failed"
    exit 1
  fi

  (umask 077 && printf 'CLOUDFLARE_SANDBOX_TOKEN=%s\n' "$token" >"$state/worker.env")

  # setsid: wrangler, workerd and esbuild share one new process group that stop can kill whole.
  # env -u: the token stays out of their environment too; the env file is its only way in.
  env -u CCT_WORKER_TOKEN setsid npx --no-install wrangler dev --local --config wrangler.local.jsonc \
    --ip 127.0.0.1 --port "$port" --inspector-port 0 \
    --env-file "$state/worker.env" --persist-to "$state/persist" \
    --show-interactive-dev-session=false --log-level warn \
    </dev/null >"$state/wrangler.log" 2>&1 &
  echo $! >"$state/pid"

  local url="http://127.0.0.1:$port" deadline=$((SECONDS + 90))
  # Our stub Worker, not whatever else might listen on that port.
  until curl -fsS --max-time 2 "$url/health" 2>/dev/null | grep -q '"sdk":"stub"'; do
    if ! kill -0 "$(cat "$state/pid")" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      log "wrangler dev did not answer on $url/health; last lines of its log:"
      tail -n 40 "$state/wrangler.log" >&2
      stop
      exit 1
    fi
    sleep 0.5
  done
  log "serving on $url (log: $state/wrangler.log)"
  echo "$url"
}

stop() {
  if [ -f "$state/pid" ]; then
    local pid
    pid=$(cat "$state/pid")
    # The pid is the leader of the group setsid made: signal the whole group.
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -rf "$state"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start PORT | stop" >&2; exit 2 ;;
esac
