// container/cct-exec.mjs, run for real with this machine's node (as the current user: it only
// switches to `cct` when it runs as root and that user exists).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const runner = join(process.env["CCT_WORKER_DIR"]!, "container", "cct-exec.mjs");

function exec(req: Record<string, unknown>, runnerEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "cct-exec-"));
  writeFileSync(join(dir, "request.json"), JSON.stringify({ cwd: dir, env: {}, user: "cct-test-nobody", ...req }));
  const r = spawnSync(process.execPath, [runner, dir], { encoding: "utf8", env: { ...process.env, ...runnerEnv } });
  assert.equal(r.status, 0, r.stderr);
  // The request carries the run's keys: it must not outlive the runner's reading it.
  assert.equal(existsSync(join(dir, "request.json")), false);
  return readFileSync(join(dir, "events.ndjson"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; data?: string; exitCode?: number; pid?: number; code?: string });
}

const out = (events: ReturnType<typeof exec>, type: string) =>
  events.filter((e) => e.type === type).map((e) => Buffer.from(e.data!, "base64").toString()).join("");

test("journals start, stdout, stderr and the exit code; argv is not a shell string", () => {
  const ev = exec({ argv: ["sh", "-c", 'echo "$1"; echo err >&2; exit 5', "sh", "$(not run); 'x'"], env: { K: "v" } });
  assert.equal(ev[0]!.type, "start");
  assert.ok(ev[0]!.pid! > 0);
  assert.equal(out(ev, "stdout"), "$(not run); 'x'\n");
  assert.equal(out(ev, "stderr"), "err\n");
  assert.deepEqual(ev.at(-1), { type: "exit", exitCode: 5 });
});

test("env and cwd reach the command", () => {
  const dir = mkdtempSync(join(tmpdir(), "cct-cwd-"));
  const ev = exec({ argv: ["sh", "-c", 'printf "%s %s" "$K" "$(pwd)"'], env: { K: "v" }, cwd: dir });
  assert.equal(out(ev, "stdout"), `v ${dir}`);
});

test("timeoutMs kills the process group and exits 124", () => {
  const t0 = Date.now();
  const ev = exec({ argv: ["sh", "-c", "echo a; sleep 30 & sleep 30"], timeoutMs: 300 });
  assert.ok(Date.now() - t0 < 5000);
  assert.deepEqual(ev.at(-1), { type: "exit", exitCode: 124 });
});

test("a command that cannot start is an error event", () => {
  const ev = exec({ argv: ["/nonexistent/cmd"] });
  assert.deepEqual(ev.map((e) => e.type), ["start", "error"]);
  assert.equal(ev[1]!.code, "exec_failed");
});

test("the CA variables of the runner's own environment reach the command; nothing else of it does", () => {
  const ev = exec(
    { argv: ["sh", "-c", 'printf "%s|%s|%s" "$NODE_EXTRA_CA_CERTS" "$SSL_CERT_FILE" "$CCT_NOT_PASSED"'], env: {} },
    { NODE_EXTRA_CA_CERTS: "/etc/cloudflare/certs/cloudflare-containers-ca.crt", SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt", CCT_NOT_PASSED: "x" },
  );
  assert.equal(out(ev, "stdout"), "/etc/cloudflare/certs/cloudflare-containers-ca.crt|/etc/ssl/certs/ca-certificates.crt|");
  const overridden = exec({ argv: ["sh", "-c", 'printf "%s" "$NODE_EXTRA_CA_CERTS"'], env: { NODE_EXTRA_CA_CERTS: "/mine.crt" } }, { NODE_EXTRA_CA_CERTS: "/theirs.crt" });
  assert.equal(out(overridden, "stdout"), "/mine.crt");
});
