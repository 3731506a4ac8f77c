#!/usr/bin/env node
// Runs one command for the Worker inside the container and journals what it does.
//
//   node /opt/cct/cct-exec.mjs DIR
//
// DIR/request.json holds {"argv":[...],"env":{...},"cwd":"...","timeoutMs":N,"user":"cct"}. The
// command is spawned directly from argv (no shell, nothing interpolated), as `user` when this
// runs as root, in its own process group. DIR/events.ndjson gets one JSON object per line:
//   line 1: {"type":"start","pid":N}
//   then:   {"type":"stdout"|"stderr","data":"<base64>"}  ...
//   last:   {"type":"exit","exitCode":N} or {"type":"error","code":"...","message":"..."}
// Line k+1 is the event with seq k, so the Worker can re-attach at any seq by reading the file
// from that line on: the journal, not the Worker's memory, is the buffer that survives.
// At `timeoutMs` the process group gets SIGTERM, then SIGKILL 5 s later, and the exit code is 124.

import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

const KILL_GRACE_MS = 5000;
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: cct-exec.mjs DIR\n");
  process.exit(2);
}
const req = JSON.parse(readFileSync(join(dir, "request.json"), "utf8"));
// The request carries the run's keys in `env`: once read, they live only in this process and its child.
unlinkSync(join(dir, "request.json"));
const journal = openSync(join(dir, "events.ndjson"), "a", 0o600);

/** One event, one write(2): a reader never sees half a line from a concurrent append. */
function record(event) {
  writeSync(journal, JSON.stringify(event) + "\n");
}

/** uid, gid and home of a user from /etc/passwd (there is no getpwnam in Node). */
function account(name) {
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const f = line.split(":");
    if (f[0] === name) return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] };
  }
  return null;
}

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
const user = asRoot && req.user ? account(req.user) : null;
// Where the trusted CAs are: the image's extra certificates and, under egress rules, the CA of the
// interceptor that re-signs HTTPS. Without them Node (Claude Code), curl and git reject every TLS
// connection the interceptor relays.
const CA_VARIABLES = ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "GIT_SSL_CAINFO"];
const trust = Object.fromEntries(CA_VARIABLES.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
const env = {
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  LANG: "C.UTF-8",
  ...trust,
  ...(user ? { HOME: user.home, USER: req.user, LOGNAME: req.user } : { HOME: process.env.HOME ?? "/root" }),
  ...req.env,
};

let child;
try {
  child = spawn(req.argv[0], req.argv.slice(1), {
    cwd: req.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group, so a timeout kills everything the command started
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
} catch (e) {
  finish({ type: "error", code: "exec_failed", message: String(e?.message ?? e) });
}

let done = false;
function finish(event) {
  if (done) return;
  done = true;
  if (!child?.pid) record({ type: "start", pid: 0 });
  record(event);
  closeSync(journal);
  process.exit(0);
}

child.once("spawn", () => record({ type: "start", pid: child.pid }));
child.once("error", (e) => finish({ type: "error", code: "exec_failed", message: `${req.argv[0]}: ${e.message}` }));
for (const name of ["stdout", "stderr"]) {
  child[name].on("data", (chunk) => record({ type: name, data: chunk.toString("base64") }));
}

let timedOut = false;
if (Number.isInteger(req.timeoutMs) && req.timeoutMs > 0) {
  setTimeout(() => {
    timedOut = true;
    killGroup("SIGTERM");
    setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS).unref();
  }, req.timeoutMs).unref();
}

function killGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

// "close" comes after both pipes are drained, so no output is journaled after the exit line.
child.once("close", (code, signal) => {
  const exitCode = timedOut ? 124 : code ?? 128 + (SIGNALS[signal] ?? 0);
  finish({ type: "exit", exitCode });
});
