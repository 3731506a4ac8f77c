#!/usr/bin/env bash
# PreToolUse hook (matcher: Read|Edit|Write|MultiEdit) installed by cct.
# Blocks file access to secrets and credentials by exiting with code 2.
set -euo pipefail

INPUT="$(cat || true)"

extract_path() {
  if command -v jq >/dev/null 2>&1; then
    printf '%s' "$INPUT" | jq -r '.tool_input.file_path // .tool_input.path // empty' 2>/dev/null && return 0
  fi
  if command -v python3 >/dev/null 2>&1; then
    printf '%s' "$INPUT" | python3 -c '
import json, sys
try:
    ti = json.load(sys.stdin).get("tool_input") or {}
    print(ti.get("file_path") or ti.get("path") or "")
except Exception:
    pass
' 2>/dev/null && return 0
  fi
  # No JSON parser available: fall back to a simple pattern match.
  printf '%s' "$INPUT" | sed -nE 's/.*"file_path"[[:space:]]*:[[:space:]]*"([^"]*)".*/\1/p' | head -n 1
}

FILE_PATH="$(extract_path || true)"
[ -z "$FILE_PATH" ] && exit 0

BASE="$(basename -- "$FILE_PATH")"
BASE_LC="$(printf '%s' "$BASE" | tr '[:upper:]' '[:lower:]')"
PATH_LC="$(printf '%s' "$FILE_PATH" | tr '[:upper:]' '[:lower:]')"

block() {
  {
    echo "Blocked by protect-secrets hook: '$FILE_PATH' looks like $1."
    echo "Secrets must not be read into or written from the conversation. Ask the user for the"
    echo "specific non-secret value you need, or use a template file such as .env.example."
  } >&2
  exit 2
}

# Templates and public keys are safe to touch.
case "$BASE_LC" in
  .env.example|.env.sample|.env.template|.env.dist|.env.defaults|*.env.example|*.env.sample|*.env.template)
    exit 0 ;;
  *.pub)
    exit 0 ;;
esac

case "$BASE_LC" in
  .env|.env.*|*.env)
    block "an environment file containing secrets" ;;
  *.pem|*.key|*.p12|*.pfx|*.jks|*.keystore|*.p8|*.ppk|*.gpg)
    block "a private key, certificate bundle or keystore" ;;
  id_rsa|id_dsa|id_ecdsa|id_ed25519|id_rsa_*|id_ecdsa_*|id_ed25519_*)
    block "an SSH private key" ;;
  .netrc|.pgpass|.git-credentials|credentials.json|service-account*.json|secrets.yml|secrets.yaml|secrets.json)
    block "a credentials file" ;;
  *.tfstate|*.tfstate.backup)
    block "Terraform state, which stores secrets in plain text" ;;
esac

case "$PATH_LC" in
  */.ssh/*|*/.gnupg/*)
    block "a file in an SSH or GnuPG key directory" ;;
  */.aws/credentials|*/.aws/config|*/.azure/*|*/.config/gcloud/*|*/.kube/config|*/.docker/config.json)
    block "a cloud or cluster credentials file" ;;
  */secrets/*|secrets/*)
    block "a file in a secrets directory" ;;
esac

exit 0
