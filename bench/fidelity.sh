#!/usr/bin/env bash
# Fidelity benchmark: does cct install each upstream component exactly as the npm tool claude-code-templates
# does? Both install the same component from the same upstream checkout, served on 127.0.0.1 in GitHub's
# shapes (bench/fidelity/serve.cjs), each into its own fresh empty project and HOME, and the two trees are
# compared file by file (bench/fidelity/compare.cjs). The npm side is the checkout's own installer code, run
# with fetch redirected to the local server (bench/fidelity/redirect-fetch.cjs); nothing leaves the machine.
#
# Usage: bench/fidelity.sh [--all] [--type T] [--seed N] [--keep] [--no-build] UPSTREAM_CHECKOUT
#        (or FIDELITY_UPSTREAM=UPSTREAM_CHECKOUT bench/fidelity.sh ...)
#   default   the 40 most downloaded components of the six kinds plus 60 drawn from the rest with the seed
#   --all     every agent, command, mcp, setting, hook and skill in docs/components.json (long)
#   --type T  only components of kind T (agent, command, mcp, setting, hook, skill); with --all
#   --keep    keep the run's folders (printed at the end) for inspection
# Needs node 18+ (fetch), npm (the installer's dependencies, through npm's configured registry) and Java 17+.
set -uo pipefail

usage() { sed -n '8,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
all=0 keep=0 build=1 seed=${FIDELITY_SEED:-20240822} only= upstream=${FIDELITY_UPSTREAM:-}
while [ $# -gt 0 ]; do
  case $1 in
    --all) all=1 ;;
    --keep) keep=1 ;;
    --no-build) build=0 ;;
    --seed) seed=${2:?}; shift ;;
    --type) only=${2:?}; shift ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) upstream=$1 ;;
  esac
  shift
done
[ -n "$upstream" ] || usage
upstream=$(cd "$upstream" && pwd) || exit 2
[ -f "$upstream/cli-tool/src/index.js" ] && [ -f "$upstream/docs/components.json" ] \
  || { echo "$upstream is not a claude-code-templates checkout (no cli-tool/src/index.js or docs/components.json)" >&2; exit 2; }

here=$(cd "$(dirname "$0")/.." && pwd)
lib=$here/bench/fidelity
work=$(mktemp -d "${TMPDIR:-/tmp}/cct-fidelity.XXXXXX")
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  if [ "$keep" = 1 ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started=$SECONDS

if [ "$build" = 1 ]; then
  echo "building cct..." >&2
  (cd "$here" && ./mvnw -q -B -o -DskipTests package >&2) || { echo "build failed" >&2; exit 1; }
fi
cct=$here/target/cct

# The installer runs from a copy without components/, so everything it installs must come over HTTP.
echo "installing the npm tool's dependencies..." >&2
tool=$work/npm-tool
mkdir -p "$tool"
tar -C "$upstream/cli-tool" --exclude=./components --exclude=./node_modules --exclude=./analytics-ui -cf - . \
  | tar -C "$tool" -xf -
(cd "$tool" && npm install --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error >&2) \
  || { echo "npm install failed" >&2; exit 1; }

node "$lib/serve.cjs" "$upstream" "$work/port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the local server did not start: $(cat "$work/server.log")" >&2; exit 1; }
base=http://127.0.0.1:$(cat "$work/port")
export CCT_CATALOG_URL=$base/raw/cli-tool/components
export CCT_CATALOG_CONTENTS_URL=$base/api/repos/davila7/claude-code-templates/contents/cli-tool/components
export CCT_CATALOG_INDEX_URL=$base/raw/docs/components.json

# cct's launcher trains a JVM startup archive per cache folder (~12 s); it holds no catalog data, so every
# run's fresh cache shares one made here instead of paying that a hundred times.
mkdir -p "$work/jvm/home"
HOME=$work/jvm/home XDG_CACHE_HOME=$work/jvm/cache "$cct" --version >/dev/null 2>&1

if [ "$all" = 1 ]; then
  node "$lib/sample.cjs" "$upstream/docs/components.json" --all
else
  echo "sample: top 40 by downloads + 60 at random, seed $seed" >&2
  node "$lib/sample.cjs" "$upstream/docs/components.json" 40 60 "$seed"
fi | awk -F'\t' -v t="$only" 't == "" || $1 == t' >"$work/sample.tsv"

# One component: both installers side by side (one core each), then the comparison. Prints its line and
# appends "type name tag class settings-only" to results.tsv.
run_one() {
  local i=$1 type=$2 name=$3 tag=$4 d=$work/runs/$1
  mkdir -p "$d/npm/project" "$d/npm/home" "$d/cct/project" "$d/cct/home" "$d/cct/cache/cct"
  ln -s "$work/jvm/cache/cct/jvm" "$d/cct/cache/cct/jvm"
  echo "$type $name" >"$d/component"
  ( cd "$tool" && HOME=$d/npm/home FIDELITY_SERVER=$base timeout 300 \
      node --require "$lib/redirect-fetch.cjs" bin/create-claude-config.js "--$type" "$name" --yes \
      --directory "$d/npm/project" </dev/null >"$d/npm.log" 2>&1; echo $? >"$d/npm.rc" ) &
  local npm_pid=$!
  HOME=$d/cct/home XDG_CACHE_HOME=$d/cct/cache timeout 300 \
    "$cct" "--$type" "$name" --directory "$d/cct/project" --yes </dev/null >"$d/cct.out" 2>"$d/cct.err"
  local rc=$?
  wait "$npm_pid"

  local source=() verdict class settings=0
  if [ "$type" = skill ]; then source=(".claude/skills/${name##*/}" "$upstream/cli-tool/components/skills/$name"); fi
  verdict=$(node "$lib/compare.cjs" "$d/npm" "$d/cct" "${source[@]}")
  if [ "$rc" != 0 ]; then
    local why; why=$(grep -m1 . "$d/cct.err" || true)
    verdict="MISMATCH cct exit $rc: ${why:-no message}$([ "$verdict" = "MISMATCH npm failed" ] && echo '; npm failed too')"
  elif [[ $verdict == MISMATCH* && $verdict != "MISMATCH npm failed" ]]; then
    [[ $(node "$lib/compare.cjs" --same-settings "$d/npm" "$d/cct" "${source[@]}") != MISMATCH* ]] && settings=1
  fi
  [ "$(cat "$d/npm.rc")" != 0 ] && verdict="$verdict (npm exit $(cat "$d/npm.rc"))"
  case $verdict in match*) class=match ;; binary*) class=binary ;; *) class=mismatch ;; esac
  printf '%-7s %-55s %s\n' "$type" "$name" "$verdict"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$type" "$name" "$tag" "$class" "$settings" "$verdict" >>"$work/results.tsv"
}

i=0
while IFS=$'\t' read -r type name tag; do
  i=$((i + 1))
  run_one "$i" "$type" "$name" "$tag" </dev/null
done <"$work/sample.tsv"

awk -F'\t' -v seconds=$((SECONDS - started)) -v all="$all" '
  { n++; t[$1]++; if ($4 == "match") { m++; tm[$1]++ } if ($3 == "top") { top++; if ($4 == "match") topm++ }
    if ($4 == "binary") { b++; bl = bl "\n  " $1 " " $2 ": " substr($6, 8) }
    if ($5 == 1) { s++; sl = sl "\n  " $1 " " $2 } }
  END {
    print ""
    printf "%d of %d installed exactly", m, n; if (!all) printf " (top 40: %d of %d)", topm, top; print ""
    printf "cct correct, npm mangles binary: %d%s\n", b, bl
    printf "would also match if settings.local.json == settings.json: %d (then %d of %d)%s\n", s, m + s, n, sl
    split("agent command mcp setting hook skill", order, " ")
    for (k = 1; k <= 6; k++) if (t[order[k]]) printf "  %-8s %d of %d\n", order[k], tm[order[k]], t[order[k]]
    printf "took %d s\n", seconds
  }' "$work/results.tsv"
