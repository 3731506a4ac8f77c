#!/usr/bin/env bash
# Makes a Docker engine and the local base image cct-test/debian:bookworm available.
# Docker Hub is unreachable here, so the base image is built with debootstrap from the
# Debian mirror apt already uses. Safe to run repeatedly: it only does what is missing.
# stdout: only the final line "docker ready: <server version>"; progress goes to stderr.
#
# Environment:
#   CCT_CI_CACHE   cache root for the rootfs tarball (default: $HOME/.cache/cct-ci)
set -euo pipefail

IMAGE="cct-test/debian:bookworm"
CACHE="${CCT_CI_CACHE:-$HOME/.cache/cct-ci}"
ROOTFS_TAR="$CACHE/rootfs-bookworm.tar"
LOG=/tmp/cct-dockerd.log
PIDFILE=/tmp/cct-dockerd.pid   # docker-down.sh stops only a daemon recorded here

# Keep stdout clean for callers that capture the version line.
exec 3>&1 1>&2
log() { echo "docker-up.sh: $*"; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  # Package lists may already be fresh enough; refresh only if the install fails.
  apt-get install -y -qq "$@" || { apt-get update -qq && apt-get install -y -qq "$@"; }
}

if ! command -v dockerd >/dev/null; then
  log "installing docker.io and debootstrap"
  apt_install docker.io debootstrap
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: $LOG)"
  # setsid: the daemon must outlive this script and the job that ran it.
  setsid dockerd >"$LOG" 2>&1 </dev/null 3>&- &
  echo $! >"$PIDFILE"
  for _ in $(seq 300); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break
    sleep 0.2
  done
  if ! docker info >/dev/null 2>&1; then
    log "dockerd did not become ready; last log lines:"
    tail -n 30 "$LOG"
    exit 1
  fi
fi

# The mirror (and security mirror) apt is configured with; the image must use the same
# ones, since other Debian hosts may not be reachable from here.
mirror_of() {  # $1: regex the URI must match
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v re="$1" '/^URIs:/ && $2 ~ re {print $2; exit}'
}
legacy_mirror_of() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk -v re="$1" '/^deb / && $2 ~ re {print $2; exit}'
}

if [ -z "$(docker images -q "$IMAGE")" ]; then
  if [ ! -s "$ROOTFS_TAR" ]; then
    command -v debootstrap >/dev/null || apt_install debootstrap
    MIRROR="$(mirror_of '/debian/?$')"; MIRROR="${MIRROR:-$(legacy_mirror_of '/debian/?$')}"
    SECURITY="$(mirror_of 'security')"; SECURITY="${SECURITY:-$(legacy_mirror_of 'security')}"
    [ -n "$MIRROR" ] || { log "no Debian mirror found in apt sources"; exit 1; }
    ROOTFS="$(mktemp -d /tmp/cct-rootfs.XXXXXX)"
    trap 'rm -rf "$ROOTFS" "$ROOTFS_TAR.tmp"' EXIT
    log "debootstrap bookworm from $MIRROR (about 30 s)"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$ROOTFS" "$MIRROR" >/dev/null
    # debootstrap writes only the main suite; add updates and security so images get fixes.
    {
      echo "deb $MIRROR bookworm main"
      echo "deb $MIRROR bookworm-updates main"
      [ -z "$SECURITY" ] || echo "deb $SECURITY bookworm-security main"
    } >"$ROOTFS/etc/apt/sources.list"
    # Debs and package lists would only bloat the image and go stale.
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
    mkdir -p "$CACHE"
    tar --numeric-owner -C "$ROOTFS" -cf "$ROOTFS_TAR.tmp" .
    mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  else
    log "reusing cached rootfs $ROOTFS_TAR"
  fi
  log "importing $IMAGE"
  docker import --change 'CMD ["/bin/bash"]' "$ROOTFS_TAR" "$IMAGE" >/dev/null
fi

echo "docker ready: $(docker version --format '{{.Server.Version}}')" >&3
