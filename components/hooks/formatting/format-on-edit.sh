#!/usr/bin/env bash
# PostToolUse hook (matcher: Edit|Write|MultiEdit) installed by cct.
# Formats the edited file with the matching formatter when one is installed.
# It never blocks Claude: every path ends with exit 0, and a missing or
# failing formatter only produces a note on stderr.
set -euo pipefail

INPUT="$(cat || true)"

extract_path() {
  if command -v jq >/dev/null 2>&1; then
    printf '%s' "$INPUT" | jq -r '.tool_input.file_path // empty' 2>/dev/null && return 0
  fi
  if command -v python3 >/dev/null 2>&1; then
    printf '%s' "$INPUT" | python3 -c '
import json, sys
try:
    print((json.load(sys.stdin).get("tool_input") or {}).get("file_path") or "")
except Exception:
    pass
' 2>/dev/null && return 0
  fi
  return 0
}

FILE="$(extract_path || true)"
[ -z "$FILE" ] && exit 0
[ -f "$FILE" ] || exit 0

PROJECT_DIR="${CLAUDE_PROJECT_DIR:-$(pwd)}"
TIMEOUT_SECS="${CCT_FORMAT_TIMEOUT:-20}"

have() { command -v "$1" >/dev/null 2>&1; }

# Run a formatter with a time limit when `timeout` exists; report but ignore failures.
run() {
  local out
  if have timeout; then
    out="$(timeout "$TIMEOUT_SECS" "$@" 2>&1)" || echo "format-on-edit: '$1' could not format $FILE: ${out:0:500}" >&2
  else
    out="$("$@" 2>&1)" || echo "format-on-edit: '$1' could not format $FILE: ${out:0:500}" >&2
  fi
  return 0
}

# Prefer the project's own Prettier so its version and config are respected.
prettier_bin() {
  local dir
  dir="$(cd "$(dirname -- "$FILE")" && pwd)"
  while [ -n "$dir" ] && [ "$dir" != "/" ]; do
    if [ -x "$dir/node_modules/.bin/prettier" ]; then
      echo "$dir/node_modules/.bin/prettier"; return 0
    fi
    [ "$dir" = "$PROJECT_DIR" ] && break
    dir="$(dirname -- "$dir")"
  done
  if have prettier; then command -v prettier; return 0; fi
  return 1
}

EXT="${FILE##*.}"
EXT="$(printf '%s' "$EXT" | tr '[:upper:]' '[:lower:]')"

case "$EXT" in
  js|jsx|mjs|cjs|ts|tsx|mts|cts|css|scss|less|html|vue|svelte|json|jsonc|yaml|yml|md|mdx|graphql|gql)
    if P="$(prettier_bin)"; then run "$P" --write --log-level warn "$FILE"; fi ;;
  py|pyi)
    if have black; then run black --quiet "$FILE"
    elif have ruff; then run ruff format --quiet "$FILE"
    fi ;;
  go)
    if have gofmt; then run gofmt -w "$FILE"; fi ;;
  rs)
    if have rustfmt; then run rustfmt --edition 2021 "$FILE"; fi ;;
  sh|bash)
    if have shfmt; then run shfmt -w "$FILE"; fi ;;
  java)
    if have google-java-format; then run google-java-format --replace "$FILE"; fi ;;
  tf|tfvars)
    if have terraform; then run terraform fmt "$FILE"; fi ;;
esac

exit 0
