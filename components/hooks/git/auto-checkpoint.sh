#!/usr/bin/env bash
# Stop hook installed by cct.
# Records uncommitted work as a checkpoint commit stored under
# refs/claude-checkpoints/<timestamp>. The working tree, the real index,
# HEAD, branches and the stash are never modified.
#
# List checkpoints:    git for-each-ref --sort=-refname refs/claude-checkpoints/
# Inspect one:         git show --stat refs/claude-checkpoints/<name>
# Diff against HEAD:   git diff HEAD refs/claude-checkpoints/<name>
# Restore files:       git restore --source=refs/claude-checkpoints/<name> -- <paths or .>
#
# Environment knobs: CCT_CHECKPOINT_KEEP (default 20), CCT_SKIP_CHECKPOINT=1.
set -euo pipefail

INPUT="$(cat || true)"
[ "${CCT_SKIP_CHECKPOINT:-0}" = "1" ] && exit 0
command -v git >/dev/null 2>&1 || exit 0

cwd_from_input() {
  if command -v jq >/dev/null 2>&1; then
    printf '%s' "$INPUT" | jq -r '.cwd // empty' 2>/dev/null && return 0
  fi
  if command -v python3 >/dev/null 2>&1; then
    printf '%s' "$INPUT" | python3 -c '
import json, sys
try:
    print(json.load(sys.stdin).get("cwd") or "")
except Exception:
    pass
' 2>/dev/null && return 0
  fi
  return 0
}

PROJECT_DIR="${CLAUDE_PROJECT_DIR:-$(cwd_from_input || true)}"
PROJECT_DIR="${PROJECT_DIR:-$(pwd)}"
cd "$PROJECT_DIR" 2>/dev/null || exit 0

git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 0
# Nothing to record when the tree is clean (untracked files included).
[ -z "$(git status --porcelain 2>/dev/null || true)" ] && exit 0

REF_PREFIX="refs/claude-checkpoints"
KEEP="${CCT_CHECKPOINT_KEEP:-20}"

# Build the snapshot in a temporary index seeded from the real one, so the
# user's staging area is left exactly as it was.
TMP_INDEX="$(mktemp "${TMPDIR:-/tmp}/cct-checkpoint-index.XXXXXX")"
trap 'rm -f "$TMP_INDEX"' EXIT
REAL_INDEX="$(git rev-parse --git-path index)"
if [ -f "$REAL_INDEX" ]; then
  cp "$REAL_INDEX" "$TMP_INDEX"
else
  rm -f "$TMP_INDEX"
fi

export GIT_INDEX_FILE="$TMP_INDEX"
if ! git add -A -- . >/dev/null 2>&1; then
  echo "auto-checkpoint: could not stage a snapshot; no checkpoint recorded." >&2
  exit 0
fi
TREE="$(git write-tree 2>/dev/null || true)"
unset GIT_INDEX_FILE
[ -z "$TREE" ] && exit 0

# Skip if identical to the most recent checkpoint.
LAST="$(git for-each-ref --sort=-refname --count=1 --format='%(refname)' "$REF_PREFIX/" 2>/dev/null || true)"
if [ -n "$LAST" ] && [ "$(git rev-parse "$LAST^{tree}" 2>/dev/null || true)" = "$TREE" ]; then
  exit 0
fi

# commit-tree needs an identity; fall back to a neutral one if none is configured.
git config user.name >/dev/null 2>&1 || export GIT_AUTHOR_NAME="Claude checkpoint" GIT_COMMITTER_NAME="Claude checkpoint"
git config user.email >/dev/null 2>&1 || export GIT_AUTHOR_EMAIL="checkpoint@localhost" GIT_COMMITTER_EMAIL="checkpoint@localhost"

TS="$(date -u +%Y%m%dT%H%M%SZ)"
BRANCH="$(git symbolic-ref --short -q HEAD 2>/dev/null || echo detached)"
MSG="Claude checkpoint $TS on $BRANCH"

PARENT_ARGS=()
if HEAD_SHA="$(git rev-parse -q --verify HEAD 2>/dev/null)"; then
  PARENT_ARGS=(-p "$HEAD_SHA")
fi

COMMIT="$(git commit-tree "$TREE" ${PARENT_ARGS[@]+"${PARENT_ARGS[@]}"} -m "$MSG" 2>/dev/null || true)"
[ -z "$COMMIT" ] && { echo "auto-checkpoint: git commit-tree failed; no checkpoint recorded." >&2; exit 0; }

NAME="$TS-$$"
git update-ref "$REF_PREFIX/$NAME" "$COMMIT" >/dev/null 2>&1 || { echo "auto-checkpoint: could not create $REF_PREFIX/$NAME" >&2; exit 0; }
echo "auto-checkpoint: saved $REF_PREFIX/$NAME (${COMMIT:0:12})"

# Prune old checkpoints beyond the retention count.
git for-each-ref --sort=-refname --format='%(refname)' "$REF_PREFIX/" 2>/dev/null |
  tail -n +"$((KEEP + 1))" |
  while IFS= read -r old; do
    git update-ref -d "$old" >/dev/null 2>&1 || true
  done

exit 0
