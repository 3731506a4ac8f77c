import assert from "node:assert/strict";
import { test } from "node:test";
import { applyTimeout, printf, resolvePath, simulate, tokenize, type Step } from "../src/stubScript";

const dec = new TextDecoder();
const run = (argv: string[], files: Record<string, string> = {}) =>
  simulate({ argv, env: { B: "2", A: "1" }, cwd: "/workspace", readFile: (p) => (p in files ? new TextEncoder().encode(files[p]) : undefined) });
const show = (steps: Step[]) =>
  steps.map((s) => (s.kind === "stdout" || s.kind === "stderr" ? `${s.at} ${s.kind} ${dec.decode(s.data)}` : s.kind === "write" ? `${s.at} write ${s.path}=${dec.decode(s.data)}` : s.kind === "exit" ? `${s.at} exit ${s.exitCode}` : `${s.at} error ${s.code}`));

test("words, quotes and operators", () => {
  assert.deepEqual(
    tokenize(`echo 'a b'"c" d;x && y >&2 > f >> g`).map((t) => t.op ?? t.word),
    ["echo", "a bc", "d", ";", "x", "&&", "y", ">&2", ">", "f", ">>", "g"],
  );
});

test("a script: output, sleep, files, exit code of the last command", () => {
  assert.deepEqual(show(run(["sh", "-c", "echo hi; sleep 1.5; cat in.txt missing; write out/r.txt done"], { "/workspace/in.txt": "IN" })), [
    "0 stdout hi\n",
    "1500 stdout IN",
    "1500 stderr cat: missing: No such file or directory\n",
    "1500 write /workspace/out/r.txt=done",
    "1500 exit 0",
  ]);
});

test("&& stops at a failure, exit ends at once, unknown commands are 127", () => {
  assert.deepEqual(show(run(["sh", "-c", "false && echo no; echo yes"])), ["0 stdout yes\n", "0 exit 0"]);
  assert.deepEqual(show(run(["bash", "-lc", "exit 3; echo never"])), ["0 exit 3"]);
  assert.deepEqual(show(run(["/usr/bin/nosuch", "x"])), ["0 stderr stub: nosuch: command not found\n", "0 exit 127"]);
});

test("redirections, env, pwd, cd, chunks, printf, stub-error", () => {
  assert.deepEqual(show(run(["sh", "-c", "echo a > f; echo b >> f; echo c >&2"])), [
    "0 write /workspace/f=",
    "0 write /workspace/f=a\n",
    "0 write /workspace/f=a\nb\n",
    "0 stderr c\n",
    "0 exit 0",
  ]);
  assert.deepEqual(show(run(["sh", "-c", "env; cd sub; pwd"])), ["0 stdout A=1\nB=2\n", "0 stdout /workspace/sub\n", "0 exit 0"]);
  assert.deepEqual(show(run(["chunks", "3", "10"])), ["0 stdout chunk 1\n", "10 stdout chunk 2\n", "20 stdout chunk 3\n", "20 exit 0"]);
  assert.deepEqual([...printf("%s=%%\\x00\\xff\\n", ["k"])], [107, 61, 37, 0, 255, 10]);
  assert.deepEqual(show(run(["stub-error", "unavailable", "gone", "away"])), ["0 error unavailable"]);
});

test("a timeout drops what is due later and exits 124 at the deadline", () => {
  assert.deepEqual(show(applyTimeout(run(["sh", "-c", "echo a; sleep 2; echo b"]), 500)), ["0 stdout a\n", "500 exit 124"]);
  assert.deepEqual(show(applyTimeout(run(["echo", "a"]), 500)), ["0 stdout a\n", "0 exit 0"]);
});

test("paths resolve against cwd", () => {
  assert.equal(resolvePath("/workspace", "a/../b/./c"), "/workspace/b/c");
  assert.equal(resolvePath("/workspace", "/etc//x/"), "/etc/x");
  assert.equal(resolvePath("/", "../.."), "/");
});
