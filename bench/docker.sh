#!/usr/bin/env bash
# Docker provider benchmarks, side by side in one run, against the same image and the same scripted fake model:
#  (a) cct's overhead: a whole cct run compared with a plain `docker run` of the same claude command;
#  (b) bringing back 2,000 files / 100 MB: cct's download-and-extract step compared with `docker cp`.
# Needs a Docker engine, Java 17+, and the image cct builds (built on first use; for an offline machine set
# CCT_DOCKER_BASE_IMAGE / CCT_EXTRA_CA_CERTS as .ci/run does). Usage: bench/docker.sh [runs]
set -euo pipefail
source "$(dirname "$0")/common.sh"
remove_bench_container() { docker rm -f cct-bench >/dev/null 2>&1 || true; }
cleanup_more=remove_bench_container
fake() { java -cp "$cp" dev.cct.testing.FakeAnthropicMain "$@" >/dev/null 2>&1 & pids+=($!); }
fake simple "$work/port-simple"
fake bulk "$files" "$bytes" "$work/port-bulk"
for f in port-simple port-bulk; do until [ -s "$work/$f" ]; do sleep 0.2; done; done
simple="http://127.0.0.1:$(cat "$work/port-simple")"
bulk="http://127.0.0.1:$(cat "$work/port-bulk")"
export ANTHROPIC_API_KEY=sk-bench CI=true
cct=(target/cct --sandbox docker --network host --env CLAUDE_CODE_MAX_RETRIES=0)

echo "warming up (builds the sandbox image if needed)..." >&2
ANTHROPIC_BASE_URL=$simple "${cct[@]}" --prompt "write hello.py" --output "$work/warm" >/dev/null 2>&1
image=$(docker images --filter label=dev.cct.image=sandbox --format '{{.Repository}}:{{.Tag}}' | head -n1)
echo "image: $image" >&2

echo "== (a) one run: cct vs plain docker run (same image, same fake model, median of $runs) ==" >&2
claude_cmd='claude -p --output-format stream-json --verbose --dangerously-skip-permissions'
plain="echo 'write hello.py' | docker run --rm -i --network host -e ANTHROPIC_API_KEY -e ANTHROPIC_BASE_URL=$simple \
  -e CLAUDE_CODE_MAX_RETRIES=0 $image sh -c '$claude_cmd' >/dev/null"
ours="ANTHROPIC_BASE_URL=$simple ${cct[*]} -q --prompt 'write hello.py' --output $work/out-a >/dev/null"
if command -v hyperfine >/dev/null; then
  hyperfine --runs "$runs" --warmup 1 --prepare "rm -rf $work/out-a" -n "docker run" "$plain" -n "cct" "$ours" \
    --export-json "$work/a.json" >&2
  a_plain=$(python3 -c "import json;d=json.load(open('$work/a.json'));print(sorted(r['times'] for r in d['results'])[0] and __import__('statistics').median(d['results'][0]['times']))")
  a_cct=$(python3 -c "import json,statistics;d=json.load(open('$work/a.json'));print(statistics.median(d['results'][1]['times']))")
else
  t() { for _ in $(seq "$runs"); do rm -rf "$work/out-a"; s=$(date +%s.%N); sh -c "$1"; e=$(date +%s.%N); echo "$e - $s" | bc; done | median; }
  a_plain=$(t "$plain"); a_cct=$(t "$ours")
fi

echo "== (b) bringing back $files files: cct vs docker cp (median of $runs) ==" >&2
b_cct=()
for i in $(seq "$runs"); do
  rm -rf "$work/out-b"
  line=$(ANTHROPIC_BASE_URL=$bulk "${cct[@]}" --prompt "create files" --output "$work/out-b" 2>&1 >/dev/null | grep 'Brought back' | tail -n1)
  b_cct+=("$(echo "$line" | sed -E 's/.*\(([0-9.]+)s\).*/\1/')")
  echo "  cct: $line" >&2
done
docker run -d --name cct-bench --network none "$image" sleep infinity >/dev/null
docker exec -w /home/claude/workspace cct-bench sh -c "mkdir -p bulk && i=0; while [ \$i -lt $files ]; do head -c $bytes /dev/urandom > bulk/f\$i.bin; i=\$((i+1)); done"
b_cp=()
for i in $(seq "$runs"); do
  rm -rf "$work/cp-out"
  s=$(date +%s.%N); docker cp cct-bench:/home/claude/workspace "$work/cp-out"; e=$(date +%s.%N)
  b_cp+=("$(echo "$e - $s" | bc)")
done
mb=$(du -sm "$work/cp-out" | cut -f1)
m_cct=$(printf '%s\n' "${b_cct[@]}" | median); m_cp=$(printf '%s\n' "${b_cp[@]}" | median)

printf '\n| what | cct | compared with | ratio |\n|---|---|---|---|\n'
printf '| one run, simple prompt (median) | %.2f s | plain docker run: %.2f s | +%.2f s |\n' "$a_cct" "$a_plain" "$(echo "$a_cct - $a_plain" | bc)"
printf '| bring back %s files, %s MB (median) | %.2f s | docker cp: %.2f s | %.2fx |\n' "$files" "$mb" "$m_cct" "$m_cp" "$(echo "$m_cct / $m_cp" | bc -l)"
