#!/usr/bin/env bash
# PreToolUse hook (matcher: Bash) installed by cct.
# Appends "timestamp<TAB>cwd<TAB>command" to .claude/logs/commands.log.
# Logging problems are reported on stderr but never block the command.
set -euo pipefail

INPUT="$(cat || true)"

json_fields() {
  # Prints the command and the cwd, each on one line with newlines escaped.
  if command -v jq >/dev/null 2>&1; then
    printf '%s' "$INPUT" | jq -r '
      (.tool_input.command // "" | gsub("\\\\"; "\\\\") | gsub("\n"; "\\n") | gsub("\t"; "\\t")),
      (.cwd // "")' 2>/dev/null && return 0
  fi
  if command -v python3 >/dev/null 2>&1; then
    printf '%s' "$INPUT" | python3 -c '
import json, sys
try:
    data = json.load(sys.stdin)
except Exception:
    sys.exit(0)
cmd = (data.get("tool_input") or {}).get("command") or ""
cmd = cmd.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
print(cmd)
print(data.get("cwd") or "")
' 2>/dev/null && return 0
  fi
  return 0
}

FIELDS="$(json_fields || true)"
CMD="$(printf '%s\n' "$FIELDS" | sed -n '1p')"
CWD="$(printf '%s\n' "$FIELDS" | sed -n '2p')"
[ -z "$CMD" ] && exit 0

PROJECT_DIR="${CLAUDE_PROJECT_DIR:-${CWD:-$(pwd)}}"
LOG_DIR="$PROJECT_DIR/.claude/logs"
LOG_FILE="$LOG_DIR/commands.log"
TS="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

{
  mkdir -p "$LOG_DIR" &&
  printf '%s\t%s\t%s\n' "$TS" "${CWD:-$PROJECT_DIR}" "$CMD" >> "$LOG_FILE"
} 2>/dev/null || echo "command-log: could not write to $LOG_FILE" >&2

exit 0
