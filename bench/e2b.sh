#!/usr/bin/env bash
# E2B transfer benchmark, side by side in one run, against the fake E2B on 127.0.0.1 (REST and envd as E2B serves
# them, each process run for real) and the same scripted fake model:
#   cct  bringing back 2,000 files / 100 MB from a run: one process packs the workspace, one GET, safe extraction;
#   (a)  one raw HTTP download of a tar of the same files (curl);
#   (b)  one download per file, as the npm tool does it (curl, one GET per file over a kept-alive connection).
# BENCH_LATENCY_MS makes the fake answer every request that much later, as a service across the internet does.
# Needs Java 17+, curl, python3 and npm (for the pinned Claude Code CLI). Usage: bench/e2b.sh [runs]
set -euo pipefail
source "$(dirname "$0")/common.sh"
now() { date +%s.%N; }
claude=$(bash .ci/install-claude.sh)

export FAKE_E2B_API_KEY=e2b_bench_key
java -cp "$cp" dev.cct.testing.e2b.FakeE2bMain --latency-ms "${BENCH_LATENCY_MS:-0}" --path "$(dirname "$claude")" >"$work/e2b.out" 2>"$work/e2b.err" & pids+=($!)
java -cp "$cp" dev.cct.testing.FakeAnthropicMain bulk "$files" "$bytes" "$work/port-bulk" >/dev/null 2>&1 & pids+=($!)
until grep -q '^E2B_API_URL=' "$work/e2b.out" 2>/dev/null; do sleep 0.2; done
until [ -s "$work/port-bulk" ]; do sleep 0.2; done
api=$(sed -n 's/^E2B_API_URL=//p' "$work/e2b.out")
export E2B_API_KEY=$FAKE_E2B_API_KEY E2B_API_URL=$api E2B_SANDBOX_URL=$api CI=true
export ANTHROPIC_API_KEY=sk-bench ANTHROPIC_BASE_URL="http://127.0.0.1:$(cat "$work/port-bulk")"

echo "== cct: a run that creates $files files, bringing them back (median of $runs) ==" >&2
t_cct=()
for _ in $(seq "$runs"); do
  rm -rf "$work/out"
  line=$(target/cct --sandbox e2b --env CLAUDE_CODE_MAX_RETRIES=0 --prompt "create files" --output "$work/out" 2>&1 >/dev/null \
    | grep 'Brought back' | tail -n1)
  t_cct+=("$(echo "$line" | sed -E 's/.*\(([0-9.]+)s\).*/\1/')")
  echo "  cct: $line" >&2
done
test "$(find "$work/out/bulk" -type f | wc -l)" -eq "$files"

echo "== the same files in a sandbox of their own, fetched with curl ==" >&2
created=$(curl -sf -X POST "$api/v2/sandboxes" -H "X-API-Key: $E2B_API_KEY" -H 'Content-Type: application/json' \
  -d '{"templateID":"base","timeout":1800}')
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sandboxID"])' <<<"$created")
token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["envdAccessToken"])' <<<"$created")
envd=(-H "E2b-Sandbox-Id: $id" -H "E2b-Sandbox-Port: 49983" -H "X-Access-Token: $token" -H "Authorization: Basic dXNlcjo=")
run_in_sandbox() {  # one Connect envelope: flags 0, 4-byte big-endian length, the JSON Start request
  python3 - "$1" >"$work/start.bin" <<'EOF'
import json, struct, sys
body = json.dumps({"process": {"cmd": "/bin/bash", "args": ["-c", sys.argv[1]], "cwd": "/home/user"}, "stdin": False}).encode()
sys.stdout.buffer.write(b"\0" + struct.pack(">I", len(body)) + body)
EOF
  curl -sf -X POST "$api/process.Process/Start" "${envd[@]}" -H 'Content-Type: application/connect+json' \
    -H 'Connect-Protocol-Version: 1' --data-binary @"$work/start.bin" >/dev/null
}
run_in_sandbox "mkdir -p bulk && cd bulk && i=0; while [ \$i -lt $files ]; do head -c $bytes /dev/urandom > f\$i.bin; i=\$((i+1)); done"
run_in_sandbox "tar -cf /home/user/bulk.tar bulk"

t_tar=()
t_pack=()
for _ in $(seq "$runs"); do
  s=$(now); curl -sf "${envd[@]}" -o "$work/bulk.tar" "$api/files?path=/home/user/bulk.tar&username=user"; e=$(now)
  t_tar+=("$(echo "$e - $s" | bc)")
  s=$(now); run_in_sandbox "tar -cf /home/user/again.tar bulk"
  curl -sf "${envd[@]}" -o "$work/again.tar" "$api/files?path=/home/user/again.tar&username=user"; e=$(now)
  t_pack+=("$(echo "$e - $s" | bc)")
done
mb=$(( $(stat -c %s "$work/bulk.tar") / 1048576 ))

{ for i in $(seq 0 $((files - 1))); do
    echo "url = \"$api/files?path=/home/user/bulk/f$i.bin&username=user\""
    echo "output = \"$work/each/f$i.bin\""
  done; } >"$work/each.curl"
t_each=()
for _ in $(seq "$runs"); do
  rm -rf "$work/each"; mkdir -p "$work/each"
  s=$(now); curl -sf "${envd[@]}" -K "$work/each.curl"; e=$(now)
  t_each+=("$(echo "$e - $s" | bc)")
done
test "$(find "$work/each" -type f | wc -l)" -eq "$files"
curl -sf -X DELETE "$api/sandboxes/$id" -H "X-API-Key: $E2B_API_KEY" >/dev/null

m_cct=$(printf '%s\n' "${t_cct[@]}" | median)
m_tar=$(printf '%s\n' "${t_tar[@]}" | median)
m_each=$(printf '%s\n' "${t_each[@]}" | median)
m_pack=$(printf '%s\n' "${t_pack[@]}" | median)
printf '\n| what (median of %s, %s ms per request) | time | cct / it |\n|---|---|---|\n' "$runs" "${BENCH_LATENCY_MS:-0}"
printf '| cct brings back %s files, %s MB | %.2f s | 1.00 |\n' "$files" "$mb" "$m_cct"
printf '| (a) one raw HTTP download of their tar | %.2f s | %.2fx |\n' "$m_tar" "$(echo "$m_cct / $m_tar" | bc -l)"
printf '| (a+) pack in the sandbox, then that one download (cct without extraction) | %.2f s | %.2fx |\n' "$m_pack" "$(echo "$m_cct / $m_pack" | bc -l)"
printf '| (b) one download per file (the npm tool'"'"'s way) | %.2f s | %.2fx |\n' "$m_each" "$(echo "$m_cct / $m_each" | bc -l)"
