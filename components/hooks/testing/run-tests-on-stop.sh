#!/usr/bin/env bash
# Stop hook installed by cct.
# Runs the project's test suite when Claude stops. If tests fail it exits 2
# with the failure output on stderr, which makes Claude continue and fix them.
# When the stop was already triggered by this hook (stop_hook_active=true), or
# when that cannot be read, it exits 0 so Claude can always finish: the hook
# can never loop forever.
#
# Environment knobs:
#   CCT_TEST_TIMEOUT   seconds allowed for the test run (default 280; the hook
#                      entry sets Claude Code's own hook timeout to 300 seconds)
#   CCT_TEST_COMMAND   explicit test command, overrides auto-detection
#   CCT_SKIP_TESTS=1   disable the hook temporarily
set -euo pipefail

INPUT="$(cat || true)"

json_get() {
  if command -v jq >/dev/null 2>&1; then
    printf '%s' "$INPUT" | jq -r "$1 // empty" 2>/dev/null && return 0
  fi
  if command -v python3 >/dev/null 2>&1; then
    printf '%s' "$INPUT" | python3 -c '
import json, sys
try:
    value = json.load(sys.stdin)
    for key in sys.argv[1].lstrip(".").split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if value is True:
        print("true")
    elif value not in (None, False):
        print(value)
except Exception:
    pass
' "$1" 2>/dev/null && return 0
  fi
  return 0
}

[ "${CCT_SKIP_TESTS:-0}" = "1" ] && exit 0

# Loop guard: Claude Code sets stop_hook_active when Claude is already
# continuing because of a Stop hook. The hook may send Claude back only when
# the value is known to be false; when it cannot be read (no jq or python3
# and an input the plain check below does not recognise, or odd input) it
# counts as true, because blocking on a guess could send Claude back forever.
stop_hook_active() {  # prints true, false or unknown
  local out
  if command -v jq >/dev/null 2>&1 &&
     out="$(printf '%s' "$INPUT" | jq -r 'if .stop_hook_active == false then "false" elif .stop_hook_active == true then "true" else "unknown" end' 2>/dev/null)"; then
    case $out in true|false) echo "$out" ;; *) echo unknown ;; esac; return 0
  fi
  if command -v python3 >/dev/null 2>&1 &&
     out="$(printf '%s' "$INPUT" | python3 -c '
import json, sys
value = json.load(sys.stdin).get("stop_hook_active")
print({True: "true", False: "false"}.get(value, "unknown") if isinstance(value, bool) else "unknown")
' 2>/dev/null)"; then
    echo "$out"; return 0
  fi
  # No parser: a bash regular expression on the raw input (no pipe, so no
  # early-exit surprises under pipefail). Any "true" wins over a "false".
  local active='"stop_hook_active"[[:space:]]*:[[:space:]]*true'
  local inactive='(^|[{,[:space:]])"stop_hook_active"[[:space:]]*:[[:space:]]*false[[:space:]]*[,}]'
  if [[ $INPUT =~ $active ]]; then echo true
  elif [[ $INPUT =~ $inactive ]]; then echo false
  else echo unknown
  fi
}

case "$(stop_hook_active)" in
  false) ;;
  true) exit 0 ;;
  *)
    echo "run-tests-on-stop: could not read stop_hook_active from the hook input; not running the tests, so Claude can never be sent back in a loop." >&2
    exit 0 ;;
esac

PROJECT_DIR="${CLAUDE_PROJECT_DIR:-$(json_get .cwd || true)}"
PROJECT_DIR="${PROJECT_DIR:-$(pwd)}"
cd "$PROJECT_DIR" 2>/dev/null || exit 0

have() { command -v "$1" >/dev/null 2>&1; }

# Skip when nothing changed since the last commit (saves a test run on pure Q&A turns).
if have git && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if [ -z "$(git status --porcelain 2>/dev/null || true)" ]; then
    exit 0
  fi
fi

detect_command() {
  if [ -n "${CCT_TEST_COMMAND:-}" ]; then
    echo "$CCT_TEST_COMMAND"; return 0
  fi
  if [ -f package.json ] && have npm; then
    # Only when a real test script exists (not npm's default placeholder).
    if grep -Eq '"test"[[:space:]]*:' package.json && ! grep -q 'no test specified' package.json; then
      echo "npm test --silent"; return 0
    fi
  fi
  if [ -f pom.xml ]; then
    if [ -x ./mvnw ]; then echo "./mvnw -q -B test"; return 0; fi
    if have mvn; then echo "mvn -q -B test"; return 0; fi
  fi
  if [ -f build.gradle ] || [ -f build.gradle.kts ]; then
    if [ -x ./gradlew ]; then echo "./gradlew test --quiet"; return 0; fi
    if have gradle; then echo "gradle test --quiet"; return 0; fi
  fi
  if [ -f go.mod ] && have go; then
    echo "go test ./..."; return 0
  fi
  if [ -f Cargo.toml ] && have cargo; then
    echo "cargo test --quiet"; return 0
  fi
  if [ -f pytest.ini ] || [ -f conftest.py ] || [ -d tests ] || [ -f pyproject.toml ] || [ -f setup.cfg ] || [ -f tox.ini ]; then
    local py=""
    if [ -x .venv/bin/python ]; then py=".venv/bin/python"
    elif [ -x venv/bin/python ]; then py="venv/bin/python"
    elif have python3; then py="python3"
    fi
    if [ -n "$py" ] && "$py" -c 'import pytest' >/dev/null 2>&1; then
      echo "$py -m pytest -q -x --no-header"; return 0
    fi
  fi
  return 1
}

TEST_CMD="$(detect_command || true)"
[ -z "$TEST_CMD" ] && exit 0

TIMEOUT_SECS="${CCT_TEST_TIMEOUT:-280}"
LOG="$(mktemp "${TMPDIR:-/tmp}/cct-tests.XXXXXX")"
trap 'rm -f "$LOG"' EXIT

status=0
if have timeout; then
  timeout "$TIMEOUT_SECS" bash -c "$TEST_CMD" >"$LOG" 2>&1 || status=$?
else
  bash -c "$TEST_CMD" >"$LOG" 2>&1 || status=$?
fi

if [ "$status" -eq 0 ]; then
  exit 0
fi

if [ "$status" -eq 124 ]; then
  # A timeout is not a test failure: tell the user but do not block.
  echo "run-tests-on-stop: '$TEST_CMD' did not finish within ${TIMEOUT_SECS}s; skipped. Set CCT_TEST_TIMEOUT or CCT_TEST_COMMAND to tune it." >&2
  exit 0
fi

# pytest exit code 5 means "no tests collected": nothing to fix.
if [ "$status" -eq 5 ] && [[ "$TEST_CMD" == *pytest* ]]; then
  exit 0
fi

{
  echo "Tests failed after your changes (command: $TEST_CMD, exit code $status)."
  echo "Fix the failures, or explain to the user why they are expected. Last lines of output:"
  echo "----"
  tail -n 60 "$LOG"
} >&2
exit 2
