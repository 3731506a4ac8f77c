#!/usr/bin/env bash
set -euo pipefail
payload="$(cat)"
dir="$(printf '%s' "$payload" | sed -n 's/.*"worktree_path" *: *"\([^"]*\)".*/\1/p')"
[ -n "$dir" ] || exit 0
case "${1:-}" in
  create) [ -f "$dir/NOTES.md" ] || printf '# Notes\n\n' > "$dir/NOTES.md" ;;
  remove) [ -f "$dir/NOTES.md" ] && cp "$dir/NOTES.md" ".claude/notes-$(basename "$dir").md" || true ;;
esac
