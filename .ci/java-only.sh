#!/usr/bin/env bash
# Runs the README's test command on a fresh clone of HEAD as a machine with Java and nothing else would: a new home
# folder (Maven's download cache shared), no claude, node, npm, npx, docker or wrangler on PATH, no Docker engine
# socket, no CCT_* variables. It must end in BUILD SUCCESS with every environment-dependent group of tests skipped
# and named; anything else is a failure of this script.
#   .ci/java-only.sh            (from the project's root; progress on stderr, the skipped groups on stdout)
set -uo pipefail
top=$(git rev-parse --show-toplevel) || exit 2
tmp=$(mktemp -d /tmp/cct-java-only.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$top" "$tmp/clone" || exit 2
mkdir -p "$tmp/bin" "$tmp/home"
[ -d "$HOME/.m2" ] && ln -s "$HOME/.m2" "$tmp/home/.m2"
for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
  for p in "$d"/*; do
    n=${p##*/}
    case $n in claude|node|nodejs|npm|npx|docker|dockerd|containerd*|runc|wrangler) continue ;; esac
    [ -e "$tmp/bin/$n" ] || ln -s "$p" "$tmp/bin/$n"
  done
done

echo "java-only.sh: ./mvnw -B verify with Java only (log: $tmp/log until it ends)" >&2
(cd "$tmp/clone" && env -i HOME="$tmp/home" JAVA_TOOL_OPTIONS="-Duser.home=$tmp/home" PATH="$tmp/bin" LANG=C.UTF-8 \
  DOCKER_HOST=unix:///nonexistent.sock ./mvnw -B verify) >"$tmp/log" 2>&1
rc=$?

failed=0
if [ "$rc" -ne 0 ] || ! grep -q "BUILD SUCCESS" "$tmp/log"; then
  echo "java-only.sh: the test command failed on a Java-only machine (exit $rc):" >&2
  grep -E "<<< (FAILURE|ERROR)!|Tests run: [0-9]+, Failures|BUILD FAILURE" "$tmp/log" | head -40 >&2
  tail -n 40 "$tmp/log" >&2
  failed=1
fi
# Each group that needs what this machine lacks must have said why it skipped.
for group in "Docker end-to-end tests" "Claude Code CLI tests" "E2B SDK conformance" "live Worker contract tests"; do
  if ! grep -q "^SKIPPED $group: " "$tmp/log"; then
    echo "java-only.sh: no 'SKIPPED $group: <reason>' line: it ran, failed silently, or skipped without saying why" >&2
    failed=1
  fi
done
grep -E "^SKIPPED " "$tmp/log" | sort | uniq -c
grep -E "Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$" "$tmp/log" >&2
exit "$failed"
