# Shared by the provider benchmarks (sourced, not run): their settings, a scratch folder, the built program and
# the test classpath that holds the fakes. Each script sets `cleanup_more` for what else it must undo.
runs=${1:-5}
files=${BENCH_FILES:-2000}
bytes=${BENCH_FILE_BYTES:-52428}   # 2000 x 52428 B = 100 MiB
here=$(cd "$(dirname "$0")/.." && pwd)
# BENCH_DIR puts the outputs on another file system (e.g. /dev/shm) to measure the transfer rather than the disk.
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/cct-bench.XXXXXX")
pids=()
cleanup_more=:
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; $cleanup_more; rm -rf "$work"; }
trap cleanup EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

cd "$here"
echo "building cct and the fakes..." >&2
./mvnw -q -B -DskipTests package >&2
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp" >&2
cp="target/test-classes:target/classes:$(cat "$work/cp")"
