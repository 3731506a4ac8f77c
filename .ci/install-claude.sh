#!/usr/bin/env bash
# Installs the pinned Claude Code CLI into a cache folder outside the repository
# and prints the absolute path of the `claude` binary as its only stdout line.
#
#   .ci/install-claude.sh            -> .../claude-<version>/node_modules/.bin/claude (npm wrapper)
#   .ci/install-claude.sh --native   -> the real native ELF behind the wrapper (standalone,
#                                       safe to COPY into a Docker image on its own)
#   .ci/install-claude.sh --dir      -> the install folder .../claude-<version>
#
# Environment:
#   CCT_CI_CACHE        cache root (default: $HOME/.cache/cct-ci)
#   CCT_CLAUDE_VERSION  exact version to install (default: the pin below)
#
# The version is pinned EXACTLY: from 2.1.198 on the package declares engines.node >=22 and
# npm on Node 20 would otherwise silently resolve an older one. The program itself is a
# native binary and does not use Node, so an exact newer version installs and runs on Node 20.
# Uses whatever registry npm is configured with; progress goes to stderr.
set -euo pipefail

PINNED_VERSION="2.1.331"
VERSION="${CCT_CLAUDE_VERSION:-$PINNED_VERSION}"
CACHE="${CCT_CI_CACHE:-$HOME/.cache/cct-ci}"
DIR="$CACHE/claude-$VERSION"
PKG_DIR="$DIR/node_modules/@anthropic-ai/claude-code"
WRAPPER="$DIR/node_modules/.bin/claude"

mode=wrapper
case "${1:-}" in
  "") ;;
  --native) mode=native ;;
  --dir) mode=dir ;;
  -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
  *) echo "install-claude.sh: unknown argument: $1 (use --native, --dir or nothing)" >&2; exit 2 ;;
esac

log() { echo "install-claude.sh: $*" >&2; }

is_elf() { [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' \n')" = "177ELF" ]; }

works() { [ -x "$WRAPPER" ] && "$WRAPPER" --version >/dev/null 2>&1; }

if works; then
  log "reusing $DIR ($("$WRAPPER" --version 2>/dev/null | head -1))"
else
  command -v npm >/dev/null 2>&1 || { log "npm not found on PATH"; exit 3; }
  log "installing @anthropic-ai/claude-code@$VERSION into $DIR"
  rm -rf "$DIR.tmp"
  mkdir -p "$DIR.tmp"
  # --foreground-scripts keeps the postinstall (which places the native binary) output visible.
  npm install --prefix "$DIR.tmp" --no-audit --no-fund --no-save --foreground-scripts \
      "@anthropic-ai/claude-code@$VERSION" >&2
  rm -rf "$DIR"
  mv "$DIR.tmp" "$DIR"
  # npm's .bin links are relative, so the move keeps them valid.
  works || { log "installed, but '$WRAPPER --version' does not run"; exit 3; }
  log "installed $("$WRAPPER" --version 2>/dev/null | head -1)"
fi

native() {
  local c
  for c in "$PKG_DIR/bin/claude.exe" \
           "$DIR/node_modules/@anthropic-ai/claude-code-linux-x64/claude" \
           "$DIR/node_modules/@anthropic-ai/claude-code-linux-x64/bin/claude" \
           "$DIR"/node_modules/@anthropic-ai/claude-code-linux-*/claude \
           "$DIR"/node_modules/@anthropic-ai/claude-code-linux-*/bin/claude*; do
    if is_elf "$c"; then
      readlink -f "$c"
      return 0
    fi
  done
  # Last resort: follow the wrapper if it is itself the ELF.
  local w
  w="$(readlink -f "$WRAPPER")"
  if is_elf "$w"; then echo "$w"; return 0; fi
  log "no native ELF found under $DIR"
  return 3
}

case "$mode" in
  wrapper) echo "$(cd "$(dirname "$WRAPPER")" && pwd)/claude" ;;
  native) native ;;
  dir) (cd "$DIR" && pwd) ;;
esac
