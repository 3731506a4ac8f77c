#!/usr/bin/env bash
# Times `--help` of cct and of the npm tool it replaces (claude-code-templates 1.29.6), side by side in one run.
# Uses hyperfine when present (installs it from Debian's packages when run as root), else repeated runs and
# the median. Usage: bench/startup.sh [runs]
set -euo pipefail
runs=${1:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building cct..." >&2
(cd "$here" && ./mvnw -q -B -DskipTests package) >&2
cct="$here/target/cct"
"$cct" --help >/dev/null   # first run trains the class-data archive; not measured

echo "installing claude-code-templates@1.29.6 into $work..." >&2
npm install --silent --prefix "$work" claude-code-templates@1.29.6 >&2
npmtool="$work/node_modules/.bin/claude-code-templates"
"$npmtool" --help >/dev/null

if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine; }) >&2 || true
fi

java17=$(ls -d /usr/lib/jvm/java-17-openjdk-*/bin/java 2>/dev/null | head -n1 || true)
if command -v hyperfine >/dev/null; then
  args=(--warmup 3 --runs "$runs" -N --export-markdown "$work/startup.md"
        -n "cct --help" "$cct --help"
        -n "claude-code-templates --help" "$npmtool --help")
  if [ -n "$java17" ]; then
    "$cct" --help >/dev/null  # make sure a Java 17 archive exists too
    CCT_JAVA="$java17" "$cct" --help >/dev/null
    args+=(-n "cct --help (Java 17)" "env CCT_JAVA=$java17 $cct --help")
  fi
  hyperfine "${args[@]}"
  cat "$work/startup.md"
else
  median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
  time_it() { for _ in $(seq "$runs"); do /usr/bin/time -f %e "$@" >/dev/null 2>>"$work/t"; done; tail -n "$runs" "$work/t" | median; }
  a=$(time_it "$cct" --help); b=$(time_it "$npmtool" --help)
  echo "median seconds over $runs runs: cct $a, claude-code-templates $b, ratio $(awk "BEGIN {printf \"%.2f\", $a/$b}")"
fi
