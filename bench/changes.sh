#!/usr/bin/env bash
# Change bring-back benchmark, side by side in one run, against the fake E2B on 127.0.0.1 (REST and envd as E2B
# serves them, each process run for real) and a scripted fake model: a git checkout of 2,000 files / 100 MB is
# uploaded, Claude edits three files, and the run brings back
#   cct        only the change (a listing in the sandbox that hashes only the files touched since Claude started,
#              then the three files in one download; the user's own files were written into the results folder
#              while Claude worked);
#   whole      the whole workspace, as every run did before (CCT_BRING_BACK=whole, the same build).
# Both end with the same results folder. Reported: the bring-back's time (cct's own progress line, from Claude's
# end to the results being complete), the bytes that crossed from the sandbox (the json summary's
# changes.transferredBytes), and the whole run's wall time.
# Needs Java 17+, git, python3 and npm (for the pinned Claude Code CLI). Usage: bench/changes.sh [runs]
set -euo pipefail
source "$(dirname "$0")/common.sh"
claude=$(bash .ci/install-claude.sh)

export FAKE_E2B_API_KEY=e2b_bench_key
java -cp "$cp" dev.cct.testing.e2b.FakeE2bMain --latency-ms "${BENCH_LATENCY_MS:-0}" --path "$(dirname "$claude")" >"$work/e2b.out" 2>"$work/e2b.err" & pids+=($!)
java -cp "$cp" dev.cct.testing.FakeAnthropicMain edit3 "$work/port" >/dev/null 2>&1 & pids+=($!)
until grep -q '^E2B_API_URL=' "$work/e2b.out" 2>/dev/null; do sleep 0.2; done
until [ -s "$work/port" ]; do sleep 0.2; done
api=$(sed -n 's/^E2B_API_URL=//p' "$work/e2b.out")
export E2B_API_KEY=$FAKE_E2B_API_KEY E2B_API_URL=$api E2B_SANDBOX_URL=$api CI=true
export ANTHROPIC_API_KEY=sk-bench ANTHROPIC_BASE_URL="http://127.0.0.1:$(cat "$work/port")"

echo "making a checkout of $files files, $((files * bytes / 1048576)) MiB..." >&2
project="$work/project"
mkdir -p "$project"
( cd "$project"
  for i in 1 2 3; do printf 'line one\nline two\n' > "f$i.txt"; done
  i=4; while [ $i -le "$files" ]; do head -c "$bytes" /dev/urandom > "f$i.bin"; i=$((i+1)); done
  git init -q -b main && git add -A && git -c user.name=bench -c user.email=bench@example.invalid commit -q -m base )

# One run: prints "<seconds> <bytes>" of its bring-back.
run() {
  local out=$1; shift
  rm -rf "$out"
  local t0; t0=$(date +%s.%N)
  (cd "$project" && env "$@" "$here/target/cct" --sandbox e2b --env CLAUDE_CODE_MAX_RETRIES=0 --upload . \
      --prompt "edit three files" --output "$out" --output-format json 2>"$work/err" >"$work/json") || { cat "$work/err" >&2; exit 1; }
  secs=$(grep 'Brought back' "$work/err" | tail -n1 | sed -E 's/.*\(([0-9.]+)(m?s)\).*/\1 \2/' | awk '{print ($2=="ms") ? $1/1000 : $1}')
  sent=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["changes"]["transferredBytes"])' <"$work/json")
  test "$(find "$out" -type f | wc -l)" -eq "$files"
  grep -q 'changed by claude' "$out/f2.txt"
  echo "$secs $sent $(echo "$(date +%s.%N) - $t0" | bc -l)"
}

t_cct=(); b_cct=(); t_whole=(); b_whole=(); w_cct=(); w_whole=()
for n in $(seq "$runs"); do
  read -r s b w < <(run "$work/out-cct" CCT_BENCH=1); t_cct+=("$s"); b_cct+=("$b"); w_cct+=("$w")
  read -r s b w < <(run "$work/out-whole" CCT_BRING_BACK=whole); t_whole+=("$s"); b_whole+=("$b"); w_whole+=("$w")
  echo "  run $n: change only ${t_cct[-1]} s, ${b_cct[-1]} B; whole ${t_whole[-1]} s, ${b_whole[-1]} B" >&2
done
diff -r "$work/out-cct" "$work/out-whole" >&2

m_tc=$(printf '%s\n' "${t_cct[@]}" | median); m_bc=$(printf '%s\n' "${b_cct[@]}" | median)
m_tw=$(printf '%s\n' "${t_whole[@]}" | median); m_bw=$(printf '%s\n' "${b_whole[@]}" | median)
m_wc=$(printf '%s\n' "${w_cct[@]}" | median); m_ww=$(printf '%s\n' "${w_whole[@]}" | median)
printf '\n| bring-back of a run that edits 3 of %s files (median of %s, %s ms per request) | bring-back time | bytes from the sandbox | whole run |\n|---|---|---|---|\n' \
  "$files" "$runs" "${BENCH_LATENCY_MS:-0}"
printf '| whole workspace (before) | %.2f s | %s | %.2f s |\n' "$m_tw" "$m_bw" "$m_ww"
printf '| only the change (now) | %.2f s | %s | %.2f s |\n' "$m_tc" "$m_bc" "$m_wc"
printf '| ratio now / before | %.3fx | %.5fx | %.3fx |\n' "$(echo "$m_tc / $m_tw" | bc -l)" "$(echo "$m_bc / $m_bw" | bc -l)" "$(echo "$m_wc / $m_ww" | bc -l)"
