#!/usr/bin/env bash
# PreToolUse hook (matcher: Bash) installed by cct.
# Reads the hook JSON from stdin and blocks dangerous shell commands by
# exiting with code 2; the reason on stderr is shown to Claude.
set -euo pipefail

INPUT="$(cat || true)"

# Extract tool_input.command with jq, falling back to python3, and finally
# to scanning the raw input so that the check still runs without a parser.
extract_command() {
  if command -v jq >/dev/null 2>&1; then
    printf '%s' "$INPUT" | jq -r '.tool_input.command // empty' 2>/dev/null && return 0
  fi
  if command -v python3 >/dev/null 2>&1; then
    printf '%s' "$INPUT" | python3 -c '
import json, sys
try:
    data = json.load(sys.stdin)
    print((data.get("tool_input") or {}).get("command") or "")
except Exception:
    pass
' 2>/dev/null && return 0
  fi
  printf '%s' "$INPUT"
}

CMD="$(extract_command || true)"
[ -z "$CMD" ] && exit 0

block() {
  {
    echo "Blocked by block-dangerous-commands hook: $1"
    echo "Command: $CMD"
    echo "If this is really intended, ask the user to run it manually."
  } >&2
  exit 2
}

# Checks on the whole command line.
if printf '%s' "$CMD" | grep -Eq '(curl|wget)[^|]*\|[[:space:]]*(sudo[[:space:]]+)?(env[[:space:]]+)?(ba|z|k|da|fi)?sh([[:space:]]|$)'; then
  block "piping a downloaded script straight into a shell. Download it, review it, then run it."
fi
if printf '%s' "$CMD" | grep -Eq '(curl|wget)[^|]*\|[[:space:]]*(sudo[[:space:]]+)?(python3?|perl|ruby|node)([[:space:]]|$)'; then
  block "piping a downloaded script straight into an interpreter."
fi
if printf '%s' "$CMD" | grep -Eq '(ba|z|k|da)?sh[[:space:]]+(-c[[:space:]]+)?["'"'"']?(\$\(|<\()[[:space:]]*(curl|wget)'; then
  block "executing a script fetched from the network."
fi
if printf '%s' "$CMD" | grep -Eq ':\(\)[[:space:]]*\{[[:space:]]*:[[:space:]]*\|[[:space:]]*:[[:space:]]*&[[:space:]]*\}'; then
  block "fork bomb."
fi
if printf '%s' "$CMD" | grep -Eq '(^|[^[:alnum:]_.-])mkfs(\.[[:alnum:]]+)?([[:space:]]|$)'; then
  block "creating a filesystem (mkfs) destroys the data on the target device."
fi
if printf '%s' "$CMD" | grep -Eq 'dd[[:space:]].*of=/dev/(sd|hd|vd|xvd|nvme|disk|mmcblk)'; then
  block "writing raw data to a block device with dd."
fi
if printf '%s' "$CMD" | grep -Eq '>[[:space:]]*/dev/(sd|hd|vd|xvd|nvme|disk|mmcblk)'; then
  block "redirecting output onto a block device."
fi

# Checks per command segment (split on ; && || | and newlines).
SYSTEM_DIRS='bin|boot|dev|etc|home|lib|lib64|opt|proc|root|sbin|srv|sys|usr|var|Users|System|Library|Applications'
DANGEROUS_TARGET='(/|/\*|~|~/|~/\*|\$HOME|\$HOME/|\$HOME/\*|\$\{HOME\}|\$\{HOME\}/|"\$HOME"|\.|\./|\.\.|\.\./|\*|\./\*|/('"$SYSTEM_DIRS"')/?)'

while IFS= read -r seg; do
  [ -z "${seg//[[:space:]]/}" ] && continue
  # Normalise whitespace and pad so every argument is space-delimited.
  s=" $(printf '%s' "$seg" | tr '\t' ' ' | tr -s ' ') "

  if printf '%s' "$s" | grep -Eq '[[:space:]](sudo[[:space:]]+)?rm[[:space:]]' &&
     printf '%s' "$s" | grep -Eq '[[:space:]](-[[:alpha:]]*[rR][[:alpha:]]*|--recursive)[[:space:]]' &&
     printf '%s' "$s" | grep -Eq "[[:space:]]${DANGEROUS_TARGET}[[:space:]]"; then
    block "recursive deletion of the filesystem root, a system directory, the home directory or the whole working directory. Delete specific paths instead."
  fi

  if printf '%s' "$s" | grep -Eq '[[:space:]]chmod[[:space:]]+(-[[:alpha:]]*R[[:alpha:]]*[[:space:]]+)?(0?777|a\+rwx|ugo\+rwx)[[:space:]]+(/|/('"$SYSTEM_DIRS"')/?|~/?|\$HOME/?)[[:space:]]'; then
    block "making the filesystem root, home or a system directory world-writable."
  fi

  if printf '%s' "$s" | grep -Eq '[[:space:]]git[[:space:]]+push[[:space:]]' &&
     printf '%s' "$s" | grep -Eq '[[:space:]](--force|-f|-[[:alpha:]]*f[[:alpha:]]*)[[:space:]]|[[:space:]]\+[[:alnum:]]' &&
     printf '%s' "$s" | grep -Eq '[[:space:]:+/](main|master)[[:space:]]'; then
    block "force-pushing to main/master rewrites shared history."
  fi

  if printf '%s' "$s" | grep -Eq '^[[:space:]]*(sudo[[:space:]]+)?(shutdown|reboot|halt|poweroff)[[:space:]]'; then
    block "shutting down or rebooting the machine."
  fi
done < <(printf '%s\n' "$CMD" | sed -E 's/(&&|\|\||;|\|)/\n/g')

exit 0
