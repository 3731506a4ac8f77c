#!/usr/bin/env bash
# Batch benchmark, side by side in one run, against the fake E2B on 127.0.0.1 (REST and envd as E2B serves them,
# each process run for real) and one scripted fake model whose every task writes out.txt and spends about 5 s
# waiting on the model, as answers from a real one keep a run waiting:
#   batch  `cct batch` of 8 prompts ("Task 1" ... "Task 8"), 4 at a time, one results folder per prompt;
#   loop   the same 8 prompts as 8 single `cct` runs one after another, as a shell loop runs them.
# Reported: the median wall time of each over the rounds and their ratio (goal <= 0.35: four at a time should
# overlap the waiting, not just shave the start-up), and the peak RSS (GNU time's "Maximum resident set size")
# of the batch's launcher against the largest of a single run's (goal <= 1.5x: the runs share one launcher,
# so running four at once should not cost four launchers' memory). The two alternate round by round, so a
# machine that slows down over the run weighs on both alike. Exits non-zero when any run failed.
# BENCH_LATENCY_MS makes the fake E2B answer every request that much later, as a service across the internet
# does; BENCH_PROMPTS and BENCH_TASK_SECONDS change the 8 prompts and 5 s. Only 127.0.0.1 is contacted.
# Needs Java 17+, GNU time, bc and npm (for the pinned Claude Code CLI, or CCT_CLAUDE=its path).
# Usage: bench/batch.sh [rounds]   (default: BENCH_ROUNDS, else 3)
set -euo pipefail
rounds=${1:-${BENCH_ROUNDS:-3}}
source "$(dirname "$0")/common.sh"
prompts=${BENCH_PROMPTS:-8}
task_seconds=${BENCH_TASK_SECONDS:-5}
parallel=4
claude=${CCT_CLAUDE:-$(bash .ci/install-claude.sh)}
cct="$here/target/cct"

export FAKE_E2B_API_KEY=e2b_bench_key
java -cp "$cp" dev.cct.testing.e2b.FakeE2bMain --latency-ms "${BENCH_LATENCY_MS:-0}" --path "$(dirname "$claude")" >"$work/e2b.out" 2>"$work/e2b.err" & pids+=($!)
java -cp "$cp" dev.cct.testing.FakeAnthropicMain batch "$task_seconds" "$work/port" >/dev/null 2>&1 & pids+=($!)
until grep -q '^E2B_API_URL=' "$work/e2b.out" 2>/dev/null; do sleep 0.2; done
until [ -s "$work/port" ]; do sleep 0.2; done
api=$(sed -n 's/^E2B_API_URL=//p' "$work/e2b.out")
export E2B_API_KEY=$FAKE_E2B_API_KEY E2B_API_URL=$api E2B_SANDBOX_URL=$api CI=true
export ANTHROPIC_API_KEY=sk-bench ANTHROPIC_BASE_URL="http://127.0.0.1:$(cat "$work/port")"

for i in $(seq "$prompts"); do echo "Task $i"; done >"$work/prompts.txt"
# The results folders are named relative to where cct runs, as a user would type them.
cd "$work"
failed=0

# Runs one cct command under GNU time, setting `wall` (seconds) and `rss` (peak, KiB). Not in a subshell, so
# that a failure, reported with its stderr, is counted; the round goes on, so the other side's figures still
# come out.
timed() {
  local name=$1; shift
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/time-$name" "$@" >"$work/$name.json" 2>"$work/$name.err" || rc=$?
  t1=$(date +%s.%N)
  wall=$(echo "$t1 - $t0" | bc)
  rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/time-$name")
  rss=${rss:-0}
  if [ "$rc" -ne 0 ]; then
    echo "  $name: exit $rc" >&2; tail -n 5 "$work/$name.err" >&2
    failed=$((failed + 1))
  fi
}

# A run that exited 0 without the task's file is as wrong as one that failed.
check_out() {
  local dir=$1
  if [ "$(cat "$dir/out.txt" 2>/dev/null)" != "done" ]; then
    echo "  no out.txt saying 'done' in $dir" >&2
    failed=$((failed + 1))
  fi
}

# One untimed run first: a new build's first start trains its class-data archive, which neither side should pay.
"$cct" --sandbox e2b --prompt "Warm up" --output warm-up --output-format json >/dev/null 2>"$work/warm-up.err" || {
  echo "the warm-up run failed:" >&2; tail -n 5 "$work/warm-up.err" >&2; exit 1; }
rm -rf warm-up

t_batch=(); r_batch=(); t_loop=(); r_loop=()
echo "== $prompts prompts of ${task_seconds} s model time each: cct batch --parallel $parallel vs a loop of single runs ($rounds rounds) ==" >&2
for n in $(seq "$rounds"); do
  rm -rf results-batch results-loop
  before=$failed
  timed batch "$cct" batch --sandbox e2b --prompts "$work/prompts.txt" --parallel "$parallel" \
      --output results-batch --output-format json
  # The batch names its runs' folders itself, so look for the task's files wherever they landed.
  got=0
  while IFS= read -r d; do check_out "$d"; got=$((got + 1)); done < <(find results-batch -name out.txt -printf '%h\n' 2>/dev/null)
  if [ "$got" -ne "$prompts" ]; then echo "  batch: $got of $prompts out.txt files" >&2; failed=$((failed + 1)); fi
  batch_line=$(printf 'batch %.2f s, %s MiB' "$wall" "$((rss / 1024))")
  if [ "$failed" -eq "$before" ]; then t_batch+=("$wall"); r_batch+=("$rss"); else batch_line="batch failed"; fi

  before=$failed
  peak=0
  singles=()
  s=$(date +%s.%N)
  for i in $(seq "$prompts"); do
    timed "loop-$i" "$cct" --sandbox e2b --prompt "Task $i" --output "results-loop/$i" --output-format json
    check_out "results-loop/$i"
    singles+=("$wall")
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  done
  e=$(date +%s.%N)
  loop_wall=$(echo "$e - $s" | bc)
  loop_line=$(printf 'loop %.2f s (single runs %.2f-%.2f s), a single run'"'"'s peak %s MiB' "$loop_wall" \
    "$(printf '%s\n' "${singles[@]}" | sort -n | head -n1)" "$(printf '%s\n' "${singles[@]}" | sort -n | tail -n1)" "$((peak / 1024))")
  if [ "$failed" -eq "$before" ]; then t_loop+=("$loop_wall"); r_loop+=("$peak"); else loop_line="loop failed"; fi
  echo "  round $n: $batch_line; $loop_line" >&2
done

# Median over the rounds that succeeded, or "failed" when none did.
med() { if [ "$#" -eq 0 ]; then echo failed; else printf '%s\n' "$@" | median; fi; }
m_tb=$(med "${t_batch[@]}"); m_rb=$(med "${r_batch[@]}")
m_tl=$(med "${t_loop[@]}"); m_rl=$(med "${r_loop[@]}")
secs() { if [ "$1" = failed ]; then echo failed; else printf '%.2f s' "$1"; fi; }
mib() { if [ "$1" = failed ]; then echo failed; else printf '%.0f MiB' "$(echo "$1 / 1024" | bc -l)"; fi; }
# "<ratio>x (met|missed)" against a goal, or n/a when either side has no figure.
ratio() {
  if [ "$1" = failed ] || [ "$2" = failed ]; then echo n/a; return; fi
  local q; q=$(echo "$1 / $2" | bc -l)
  printf '%.2fx (%s)' "$q" "$( [ "$(echo "$q <= $3" | bc -l)" -eq 1 ] && echo met || echo missed)"
}
printf '\n| %s prompts of %s s model time each (median of %s rounds, %s ms per E2B request) | wall time | peak RSS |\n|---|---|---|\n' \
  "$prompts" "$task_seconds" "$rounds" "${BENCH_LATENCY_MS:-0}"
printf '| loop of %s single runs (RSS: the largest single run) | %s | %s |\n' "$prompts" "$(secs "$m_tl")" "$(mib "$m_rl")"
printf '| cct batch --parallel %s | %s | %s |\n' "$parallel" "$(secs "$m_tb")" "$(mib "$m_rb")"
printf '| batch / loop (goals: time <= 0.35x, RSS <= 1.5x) | %s | %s |\n' "$(ratio "$m_tb" "$m_tl" 0.35)" "$(ratio "$m_rb" "$m_rl" 1.5)"
if [ "$failed" -ne 0 ]; then echo "$failed failure(s); see above" >&2; exit 1; fi
