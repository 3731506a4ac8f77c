#!/usr/bin/env bash
# PreToolUse hook (matcher: Bash) installed by cct.
# Reads the hook JSON from stdin and blocks dangerous shell commands by
# exiting with code 2; the reason on stderr is shown to Claude.
# It fails closed: when it cannot read the command it blocks and says why,
# because a check that silently passes what it cannot read protects nothing.
set -euo pipefail

INPUT="$(cat || true)"

refuse() {
  {
    echo "Blocked by block-dangerous-commands hook: $1"
    echo "The command was not checked, so it was not run."
    if ! command -v jq >/dev/null 2>&1 && ! command -v python3 >/dev/null 2>&1; then
      echo "Neither jq nor python3 is installed; the hook's own reader needs a plain JSON object. Installing jq lets it read any valid input."
    fi
  } >&2
  exit 2
}

# --- Reading the hook input (the same block is in protect-secrets.sh) ---
# tool_input_string KEY...: prints the first of tool_input.KEY... that is set,
# nothing when none is, and fails when the input cannot be read as JSON.
# jq, then python3, then a small parser in sed and bash for machines with
# neither. Input is piped only into readers that consume all of it (never
# into grep -q, whose early exit reads as a failure under pipefail), and no
# step needs a temporary file.
tool_input_string() {
  local out filter=".tool_input // {} | (" key
  for key in "$@"; do filter="$filter.$key // "; done
  filter="$filter empty) | if type == \"string\" then . else error(\"not a string\") end"
  if command -v jq >/dev/null 2>&1 && out="$(printf '%s' "$INPUT" | jq -r "$filter" 2>/dev/null)"; then
    printf '%s' "$out"; return 0
  fi
  if command -v python3 >/dev/null 2>&1 && out="$(printf '%s' "$INPUT" | python3 -c '
import json, sys
tool_input = json.loads(sys.stdin.buffer.read()).get("tool_input") or {}
value = next((tool_input[k] for k in sys.argv[1:] if tool_input.get(k) is not None), "")
if not isinstance(value, str):
    sys.exit(3)
sys.stdout.buffer.write(value.encode("utf-8", "replace"))
' "$@" 2>/dev/null)"; then
    printf '%s' "$out"; return 0
  fi
  json_strings_without_parser "$@"
}

# Prints the string value of every member named KEY... (at any depth, which
# can only find more to check), one after the other; fails on input that is
# not a JSON object. The first sed rewrites each valid escape as \xHH for
# printf %b (after which every " delimits a string, and a \ left over is an
# invalid escape, marked \!) and puts each string on its own line; the second
# drops whitespace outside strings. JSON strings never span lines, and sed
# and this loop take linear time even on very long commands. \u escapes
# beyond ASCII become "?", which spells no command or file name.
json_strings_without_parser() {
  local LC_ALL=C line key="" want=0 depth=0 seen=0 found="" name value
  while IFS= read -r line; do
    case $line in
      \"*)
        [[ $line == *'\!'* ]] && return 1
        line=${line#\"}; line=${line%\"}
        if [ "$want" = 1 ]; then
          printf -v value '%b' "$line"; found="$found$value"$'\n'; want=0
        else
          key=$line
        fi
        continue ;;
      "") continue ;;
    esac
    # Outside strings JSON has only brackets, commas, colons and literals.
    [[ $line == *[!\]\[{}:,0-9A-Za-z.+-]* ]] && return 1
    if [ "$seen" = 0 ]; then
      [[ $line == \{* ]] || return 1
      seen=1
    fi
    if [ -n "$key" ] && [[ $line == :* ]]; then
      printf -v name '%b' "$key"
      for value in "$@"; do
        [ "$name" = "$value" ] || continue
        if [ "$line" = ":" ]; then want=1
        elif [[ $line != :null* ]]; then return 1
        fi
      done
    fi
    key=""
    value=${line//[!\{\[]/}; depth=$((depth + ${#value}))
    value=${line//[!\}\]]/}; depth=$((depth - ${#value}))
    [ "$depth" -ge 0 ] || return 1
  done < <(printf '%s\n' "$INPUT" | sed -e 's/@/@40/g' -e 's/\\\\/@5c/g' -e 's/\\"/@22/g' -e 's|\\/|@2f|g' \
               -e 's/\\b/@08/g' -e 's/\\f/@0c/g' -e 's/\\n/@0a/g' -e 's/\\r/@0d/g' -e 's/\\t/@09/g' \
               -e 's/\\u0000/ /g' -e 's/\\u00\([0-7][0-9A-Fa-f]\)/@\1/g' -e 's/\\u[0-9A-Fa-f]\{4\}/?/g' \
               -e 's/\\/\\!/g' -e 's/@/\\x/g' -e 's/"[^"]*"/\
&\
/g' | sed -e '/^"/!s/[[:space:]]//g')
  [ "$seen" = 1 ] && [ "$depth" = 0 ] && [ "$want" = 0 ] || return 1
  printf '%s' "$found"
}
# --- end of reading the hook input ---

[[ $INPUT =~ [^[:space:]] ]] || refuse "no hook input on stdin."
CMD="$(tool_input_string command)" || refuse "the hook input is not a JSON object with a string tool_input.command."
[ -z "$CMD" ] && exit 0

block() {
  local shown="${CMD:0:500}"
  [ "${#CMD}" -gt 500 ] && shown="$shown ... (${#CMD} characters)"
  {
    echo "Blocked by block-dangerous-commands hook: $1"
    echo "Command: $shown"
    echo "If this is really intended, ask the user to run it manually."
  } >&2
  exit 2
}

# All checks are bash regular expressions on variables: no subprocess per
# check (a long command with thousands of parts stays fast, well within the
# hook's time limit) and no pipe whose early exit could read as "no match".
matches() { [[ $1 =~ $2 ]]; }

# Checks on the whole command line.
matches "$CMD" '(curl|wget)[^|]*\|[[:space:]]*(sudo[[:space:]]+)?(env[[:space:]]+)?(ba|z|k|da|fi)?sh([[:space:]]|$)' &&
  block "piping a downloaded script straight into a shell. Download it, review it, then run it."
matches "$CMD" '(curl|wget)[^|]*\|[[:space:]]*(sudo[[:space:]]+)?(python3?|perl|ruby|node)([[:space:]]|$)' &&
  block "piping a downloaded script straight into an interpreter."
matches "$CMD" "(ba|z|k|da)?sh[[:space:]]+(-c[[:space:]]+)?[\"']?(\\\$\\(|<\\()[[:space:]]*(curl|wget)" &&
  block "executing a script fetched from the network."
matches "$CMD" ':\(\)[[:space:]]*\{[[:space:]]*:[[:space:]]*\|[[:space:]]*:[[:space:]]*&[[:space:]]*\}' &&
  block "fork bomb."
matches "$CMD" '(^|[^[:alnum:]_.-])mkfs(\.[[:alnum:]]+)?([[:space:]]|$)' &&
  block "creating a filesystem (mkfs) destroys the data on the target device."
matches "$CMD" 'dd[[:space:]].*of=/dev/(sd|hd|vd|xvd|nvme|disk|mmcblk)' &&
  block "writing raw data to a block device with dd."
matches "$CMD" '>[[:space:]]*/dev/(sd|hd|vd|xvd|nvme|disk|mmcblk)' &&
  block "redirecting output onto a block device."

# Checks per command: split on ; & | ( ) ` and newlines, with quotes and
# backslashes removed (rm -rf "/" and rm -rf \/ mean rm -rf /) and blanks
# squeezed, each part padded so every argument is space-delimited.
SYSTEM_DIRS='bin|boot|dev|etc|home|lib|lib64|opt|proc|root|sbin|srv|sys|usr|var|Users|System|Library|Applications'
DANGEROUS_TARGET='(/|/\*|~|~/|~/\*|\$HOME|\$HOME/|\$HOME/\*|\$\{HOME\}|\$\{HOME\}/|\.|\./|\.\.|\.\./|\*|\./\*|/('"$SYSTEM_DIRS"')/?)'

# The cheap glob in front of each check keeps a command with thousands of
# parts fast. A part that was never read would mean the split failed.
parts=0
while IFS= read -r seg; do
  parts=1
  s=" $seg "
  case $s in
    *" rm "*|*"/rm "*)
      if matches "$s" ' (sudo +)?([^ ]*/)?rm ' &&
         matches "$s" ' (-[[:alpha:]]*[rR][[:alpha:]]*|--recursive) ' &&
         matches "$s" " ${DANGEROUS_TARGET} "; then
        block "recursive deletion of the filesystem root, a system directory, the home directory or the whole working directory. Delete specific paths instead."
      fi ;;
  esac
  case $s in
    *" chmod "*)
      matches "$s" ' chmod +(-[[:alpha:]]*R[[:alpha:]]* +)?(0?777|a\+rwx|ugo\+rwx) +(/|/('"$SYSTEM_DIRS"')/?|~/?|\$HOME/?) ' &&
        block "making the filesystem root, home or a system directory world-writable." ;;
  esac
  case $s in
    *" push "*)
      if matches "$s" ' git +push ' &&
         matches "$s" ' (--force|-f|-[[:alpha:]]*f[[:alpha:]]*) | \+[[:alnum:]]' &&
         matches "$s" '[ :+/](main|master) '; then
        block "force-pushing to main/master rewrites shared history."
      fi ;;
  esac
  case $s in
    *shutdown*|*reboot*|*halt*|*poweroff*)
      matches "$s" '^ *(sudo +)?(shutdown|reboot|halt|poweroff) ' &&
        block "shutting down or rebooting the machine." ;;
  esac
done < <(printf '%s\n' "$CMD" | tr -d "\"'\\\\" | tr '\t\r;&|()`' '  \n\n\n\n\n\n' | tr -s ' ')
[ "$parts" = 1 ] || refuse "the command could not be split into its parts."

exit 0
