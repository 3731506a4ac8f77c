#!/usr/bin/env bash
# How long `cct components search` takes warm (index cached, no network), against upstream's index served on
# loopback from a checkout of claude-code-templates: bench/search.sh CHECKOUT [RUNS]. Compares with BASELINE_JAR
# (an earlier build's jar) side by side when it is set. Uses hyperfine when installed, else /usr/bin/time.
set -euo pipefail
checkout=${1:?usage: bench/search.sh CHECKOUT [RUNS]}
runs=${2:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$checkout" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
(cd "$here" && ./mvnw -q -B -DskipTests package)
export CCT_CATALOG_URL=http://127.0.0.1:$port/cli-tool/components
export CCT_CATALOG_INDEX_URL=http://127.0.0.1:$port/docs/components.json
export XDG_CACHE_HOME=$work/cache
until curl -fs -o /dev/null "$CCT_CATALOG_INDEX_URL"; do sleep 0.1; done
new="$here/target/cct components search react"
$new >/dev/null && $new >/dev/null   # the first run trains the startup archive and caches the index
commands=("$new")
if [ -n "${BASELINE_JAR:-}" ]; then
  java=$(ls -d /usr/lib/jvm/*/bin/java | tail -1)
  "$java" -XX:AOTCacheOutput="$work/base.aot" -jar "$BASELINE_JAR" train-startup >/dev/null 2>&1 || true
  commands+=("$java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:AOTCache=$work/base.aot -jar $BASELINE_JAR components search react")
fi
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 2 -r "$runs" "${commands[@]}"
else
  for c in "${commands[@]}"; do
    for _ in $(seq "$runs"); do /usr/bin/time -f %e $c 2>&1 >/dev/null | tail -1; done | sort -n |
      awk -v c="$c" '{a[NR]=$1} END {print "median " a[int((NR+1)/2)] " s: " c}'
  done
fi
