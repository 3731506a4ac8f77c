#!/usr/bin/env bash
# Installs the pinned official E2B JS SDK for the fake E2B's conformance test (E2bConformanceIT)
# into src/test/e2b-conformance/node_modules, exactly as the lockfile says (npm ci).
# Idempotent: an install that matches the current lockfile is reused. npm's download cache lives
# outside the clone ($CCT_CI_CACHE/npm, default $HOME/.cache/cct-ci/npm), so a fresh clone installs
# without downloading again. Prints nothing on stdout; progress goes to stderr.
set -euo pipefail

DIR="$(cd "$(dirname "$0")/../src/test/e2b-conformance" && pwd)"
CACHE="${CCT_CI_CACHE:-$HOME/.cache/cct-ci}/npm"
STAMP="$DIR/node_modules/.cct-lock-sha256"

log() { echo "e2b-conformance-deps.sh: $*" >&2; }

command -v npm >/dev/null 2>&1 || { log "npm not found on PATH"; exit 3; }
# The lockfile is committed without registry download URLs (.npmrc: omit-lockfile-registry-resolved),
# so it installs from whatever registry npm is configured with.
if grep -q '"resolved"' "$DIR/package-lock.json"; then
  log "package-lock.json records download URLs; regenerate it with 'npm install --package-lock-only' in $DIR"
  exit 3
fi

want="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -f "$DIR/node_modules/e2b/package.json" ]; then
  log "reusing $DIR/node_modules (e2b $(node -p 'require(process.argv[1]).version' "$DIR/node_modules/e2b/package.json"))"
  exit 0
fi

log "installing the pinned E2B SDK into $DIR/node_modules"
mkdir -p "$CACHE"
(cd "$DIR" && npm ci --cache "$CACHE" --prefer-offline --no-audit --no-fund >&2)
echo "$want" > "$STAMP"
log "installed e2b $(node -p 'require(process.argv[1]).version' "$DIR/node_modules/e2b/package.json")"
