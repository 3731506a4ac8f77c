#!/usr/bin/env bash
# PreToolUse hook (matcher: Read|Edit|Write|MultiEdit|Grep|Bash) installed by cct.
# Blocks access to secrets and credentials by exiting with code 2: a file
# tool's path, or any file name a Bash command mentions (cat .env, cp, grep,
# source ...). It fails closed: when it cannot read its input it blocks and
# says why, because a check that passes what it cannot read protects nothing.
set -euo pipefail

INPUT="$(cat || true)"

refuse() {
  {
    echo "Blocked by protect-secrets hook: $1"
    echo "The tool call was not checked, so it was not run."
    if ! command -v jq >/dev/null 2>&1 && ! command -v python3 >/dev/null 2>&1; then
      echo "Neither jq nor python3 is installed; the hook's own reader needs a plain JSON object. Installing jq lets it read any valid input."
    fi
  } >&2
  exit 2
}

# --- Reading the hook input (the same block is in block-dangerous-commands.sh) ---
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
FILE_PATHS="$(tool_input_string file_path path)" || refuse "the hook input is not a JSON object with a string tool_input.file_path or path."
CMD="$(tool_input_string command)" || refuse "the hook input is not a JSON object with a string tool_input.command."

# secret_kind NAME PATH MODE: sets KIND when the file looks like a secret.
# NAME and PATH are lower case, PATH starts with "/". MODE "word" is for
# words of a shell command, which also spell things that are not files:
# there, NAME.env counts only with a directory (process.env is code) and a
# NAME.key starting with "." is taken for a jq or JavaScript path (.data.key).
secret_kind() {
  KIND=""
  # Templates and public keys are safe to touch.
  case $1 in
    *.example|*.sample|*.template|*.dist|.env.defaults|*.pub) return 1 ;;
  esac
  case $1 in
    .env|.env.*|.envrc)
      KIND="an environment file containing secrets" ;;
    *.env)
      if [ "$3" != word ] || [[ $2 == */*/* ]]; then KIND="an environment file containing secrets"; fi ;;
    *.pem|*.key|*.p12|*.pfx|*.jks|*.keystore|*.p8|*.ppk|*.gpg|*.kdbx)
      if [ "$3" != word ] || [[ $1 != .* ]]; then KIND="a private key, certificate bundle or keystore"; fi ;;
    id_rsa|id_dsa|id_ecdsa|id_ed25519|id_rsa_*|id_dsa_*|id_ecdsa_*|id_ed25519_*)
      KIND="an SSH private key" ;;
    .netrc|_netrc|.npmrc|.pypirc|.pgpass|.git-credentials|.htpasswd|.s3cfg|.boto|.dockercfg|.terraformrc|terraform.rc)
      KIND="a credentials file" ;;
    credentials.json|credentials.yml|credentials.yaml|credentials.toml|credentials.xml|client_secret*.json|service-account*.json)
      KIND="a credentials file" ;;
    secrets.yml|secrets.yaml|secrets.json|secrets.toml)
      KIND="a credentials file" ;;
    *.tfstate|*.tfstate.backup|*.tfvars|*.tfvars.json)
      KIND="Terraform state or variables, which hold secrets in plain text" ;;
  esac
  [ -n "$KIND" ] && return 0
  case $2 in
    */.ssh/*|*/.gnupg/*)
      KIND="a file in an SSH or GnuPG key directory" ;;
    */.aws/credentials|*/.aws/config|*/.azure/*|*/.config/gcloud/*|*/.kube/config|*/.docker/config.json)
      KIND="a cloud or cluster credentials file" ;;
    */.cargo/credentials|*/.cargo/credentials.toml|*/.gem/credentials|*/.config/gh/hosts.yml)
      KIND="a credentials file" ;;
    */secrets/*)
      KIND="a file in a secrets directory" ;;
  esac
  [ -n "$KIND" ]
}

block() {
  {
    echo "Blocked by protect-secrets hook: $1"
    echo "Secrets must not be read into or written from the conversation. Ask the user for the"
    echo "specific non-secret value you need, or use a template file such as .env.example."
  } >&2
  exit 2
}

# A file tool: its path (normally one; the hook's own reader may find more).
while IFS= read -r FILE_PATH; do
  [ -n "$FILE_PATH" ] || continue
  LOWER="$(printf '%s' "$FILE_PATH" | tr '[:upper:]' '[:lower:]')"
  if secret_kind "${LOWER##*/}" "/$LOWER" path; then
    block "'$FILE_PATH' looks like $KIND."
  fi
done < <(printf '%s\n' "$FILE_PATHS")

[ -z "$CMD" ] && exit 0

# A Bash command: every word that could be a file name, in lower case, with
# quotes and backslashes removed (cat ".env" and cat .e\nv read .env), split
# on blanks and shell punctuation, each once, as "name|word". Ordinary
# commands are allowed; one that names a secret file in any way is not.
words=0
while IFS='|' read -r NAME WORD; do
  words=1
  [ -n "$WORD" ] || continue
  if secret_kind "$NAME" "/$WORD" word; then
    block "the command names '$WORD', which looks like $KIND."
  fi
  # A glob such as .en* or .e?v could expand to a secret dot file.
  case $NAME in
    .*[*?[]*)
      for SECRET in .env .env.local .envrc .netrc .npmrc .pypirc .pgpass .git-credentials; do
        # shellcheck disable=SC2053 # NAME is meant as a pattern here
        if [[ $SECRET == $NAME ]]; then
          block "the command uses the pattern '$WORD', which matches secret files such as '$SECRET'."
        fi
      done ;;
  esac
done < <(printf '%s\n' "$CMD" | tr '[:upper:]' '[:lower:]' | tr -d "\"'\\\\" |
           tr ' \t\r;&|()<>{},=`' '[\n*]' | LC_ALL=C sort -u | sed -e 'h' -e 's|.*/||' -e 'G' -e 's/\n/|/')
[ "$words" = 1 ] || refuse "the command could not be split into words."

exit 0
