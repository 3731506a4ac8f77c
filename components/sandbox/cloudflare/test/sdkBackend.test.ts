// The SDK backend against a fake platform that runs its shell commands on this machine and speaks
// the SDK's stream formats (execStream events, readFileStream chunks). This exercises the real
// command runner (container/cct-exec.mjs), the journal tailing and re-attach, and GNU tar with
// excludes; what it cannot show is the SDK's transport to a real container.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { OPEN_EGRESS, type ExecEvent, type SandboxInfo } from "../src/backend";
import { SdkBackend, type Platform, type RegistryHandle, type SandboxHandle } from "../src/sdkBackend";
import { readTar, writeTar } from "../src/tar";

const root = mkdtempSync(join(tmpdir(), "cct-sdk-"));
const enc = new TextEncoder();
const sse = (o: unknown) => enc.encode(`data: ${JSON.stringify(o)}\n\n`);

function sh(cmd: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", cmd]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

/** What each sandbox was asked, in order: "egress MODE HOSTS" or "exec CMD". */
const calls = new Map<string, string[]>();
const log = (id: string, line: string) => calls.set(id, [...(calls.get(id) ?? []), line]);

function fakeSandbox(id: string): SandboxHandle {
  const handle = {
    async configureEgress(mode: string, hosts: string[]) {
      log(id, `egress ${mode} ${hosts.join(",")}`);
      if (hosts.includes("refused.invalid")) throw new Error("interception unavailable");
    },
    async exec(cmd: string) {
      log(id, `exec ${cmd}`);
      const r = await sh(cmd);
      return { ...r, success: r.exitCode === 0, command: cmd, duration: 0, timestamp: new Date().toISOString() };
    },
    async execStream(cmd: string) {
      let child: ChildProcess;
      let cancelled = false;
      return new ReadableStream<Uint8Array>({
        start(controller) {
          child = spawn("sh", ["-c", cmd]);
          child.stdout!.on("data", (d: Buffer) => cancelled || controller.enqueue(sse({ type: "stdout", data: d.toString() })));
          child.on("close", (code) => {
            if (cancelled) return;
            controller.enqueue(sse({ type: "complete", exitCode: code }));
            controller.close();
          });
        },
        cancel() {
          // The backend stops following a journal after its exit line: the tail must end.
          cancelled = true;
          child.kill();
        },
      });
    },
    async startProcess(cmd: string, opts?: { processId?: string }) {
      const child = spawn("sh", ["-c", cmd], { stdio: "ignore", detached: true });
      child.unref();
      return { id: opts?.processId ?? "p", pid: child.pid };
    },
    async writeFile(path: string, content: string | ReadableStream<Uint8Array>) {
      mkdirSync(dirname(path), { recursive: true });
      const bytes = typeof content === "string" ? enc.encode(content) : new Uint8Array(await new Response(content).arrayBuffer());
      writeFileSync(path, bytes);
      return { success: true, path, timestamp: "" };
    },
    async readFileStream(path: string) {
      const bytes = readFileSync(path);
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(sse({ type: "metadata", mimeType: "application/x-tar", size: bytes.length, isBinary: true, encoding: "base64" }));
          for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(sse({ type: "chunk", data: bytes.subarray(i, i + 4096).toString("base64") }));
          controller.enqueue(sse({ type: "complete" }));
          controller.close();
        },
      });
    },
    async mkdir(path: string) {
      mkdirSync(path, { recursive: true });
      return { success: true, path, recursive: true, timestamp: "" };
    },
    async destroy() {},
  };
  return handle as unknown as SandboxHandle;
}

const rows = new Map<string, SandboxInfo>();
const registry = {
  async add(info: SandboxInfo) {
    rows.set(info.id, info);
  },
  async has(id: string) {
    return rows.has(id);
  },
  async remove(id: string) {
    rows.delete(id);
  },
  async list() {
    return [...rows.values()];
  },
} as RegistryHandle;

const platform: Platform = {
  sandbox: (id) => fakeSandbox(id),
  registry: () => registry,
  layout: {
    runner: join(process.env["CCT_WORKER_DIR"]!, "container", "cct-exec.mjs"),
    user: userInfo().username,
    home: join(root, "home"),
    workspace: join(root, "workspace"),
    tmp: join(root, "tmp"),
  },
};
mkdirSync(platform.layout.workspace, { recursive: true });
const backend = new SdkBackend(platform);

async function collect(it: AsyncIterable<ExecEvent>): Promise<ExecEvent[]> {
  const out: ExecEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
}
const text = (evs: ExecEvent[], type: "stdout" | "stderr") =>
  evs.map((e) => (e.type === type ? Buffer.from(e.data).toString() : "")).join("");

test("upload, exec with streaming and re-attach, status, download with excludes, destroy", async () => {
  const { id, user, workspaceRoot } = await backend.create({ run: "sdk-test" }, OPEN_EGRESS);
  assert.equal(user, userInfo().username);
  assert.deepEqual((await backend.list()).map((s) => s.labels), [{ run: "sdk-test" }]);

  const file = (name: string, s: string) => ({ name, type: "file" as const, mode: 0o644, mtime: 1700000000, data: enc.encode(s), linkname: "" });
  const dest = `${workspaceRoot}/p`;
  const tar = writeTar([file("a.txt", "A"), file("node_modules/x.js", "junk"), file("src/.git/HEAD", "ref")]);
  await backend.uploadTar(id, dest, new Response(tar).body!, 1 << 20);

  const started = await backend.startExec(id, { argv: ["sh", "-c", "cat a.txt; echo err >&2; echo made > made.txt; exit 3"], cwd: dest, env: { K: "v" } });
  assert.ok(started.pid > 0);
  const all = await collect(backend.events(id, started.execId, 0, new AbortController().signal));
  assert.equal(all.at(-1)!.type, "exit");
  assert.deepEqual(all.map((e) => e.seq), all.map((_, i) => i + 1));
  assert.equal(text(all, "stdout"), "A");
  assert.equal(text(all, "stderr"), "err\n");
  assert.deepEqual(all.at(-1), { seq: all.length, type: "exit", exitCode: 3 });

  const rest = await collect(backend.events(id, started.execId, 1, new AbortController().signal));
  assert.deepEqual(rest, all.slice(1));
  assert.deepEqual(await backend.execStatus(id, started.execId), { execId: started.execId, running: false, exitCode: 3 });
  assert.equal(await backend.execPid(id, started.execId), started.pid);

  const down = new Uint8Array(await new Response(await backend.downloadTar(id, dest, ["node_modules", ".git"])).arrayBuffer());
  const names = readTar(down).map((e) => e.name).sort();
  assert.deepEqual(names, ["./", "./a.txt", "./made.txt", "./src/"]);

  await backend.destroy(id);
  await backend.destroy(id);
  await assert.rejects(backend.startExec(id, { argv: ["true"] }), /not found/);
});

test("a running exec streams live and times out with 124", async () => {
  const { id } = await backend.create({}, OPEN_EGRESS);
  const started = await backend.startExec(id, { argv: ["sh", "-c", "echo first; sleep 30"], timeoutMs: 800 });
  const status = await backend.execStatus(id, started.execId);
  assert.equal(status.running, true);
  const evs = await collect(backend.events(id, started.execId, 0, new AbortController().signal));
  assert.equal(text(evs, "stdout"), "first\n");
  assert.deepEqual(evs.at(-1), { seq: evs.length, type: "exit", exitCode: 124 });
  await assert.rejects(backend.execStatus(id, "00000000-0000-4000-8000-000000000000"), /not found/);
  await assert.rejects(backend.downloadTar(id, join(root, "missing"), []), /not found/);
  await backend.destroy(id);
});

test("a locked policy reaches the sandbox object before the command that starts its container; open sends nothing", async () => {
  const locked = await backend.create({}, { mode: "allowlist", hosts: ["api.anthropic.com", "*.example.com"] });
  const seen = calls.get(locked.id)!;
  assert.equal(seen[0], "egress allowlist api.anthropic.com,*.example.com");
  assert.match(seen[1]!, /^exec mkdir -p /);
  const none = await backend.create({}, { mode: "none", hosts: ["api.anthropic.com"] });
  assert.equal(calls.get(none.id)![0], "egress none api.anthropic.com");
  const open = await backend.create({}, OPEN_EGRESS);
  assert.ok(calls.get(open.id)!.every((c) => !c.startsWith("egress")));
  for (const id of [locked.id, none.id, open.id]) await backend.destroy(id);
});

test("a policy that cannot be applied fails the create before any command, and leaves no sandbox", async () => {
  const before = (await backend.list()).length;
  await assert.rejects(backend.create({}, { mode: "allowlist", hosts: ["refused.invalid"] }), (e: { status?: number; message?: string }) => {
    assert.equal(e.status, 503);
    assert.match(e.message!, /interception unavailable/);
    return true;
  });
  assert.equal((await backend.list()).length, before);
  const failed = [...calls.values()].find((c) => c[0] === "egress allowlist refused.invalid")!;
  assert.deepEqual(failed, ["egress allowlist refused.invalid"]);
});
