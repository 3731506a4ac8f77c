// The HTTP layer over the stub backend, in-process: auth, errors, SSE framing, heartbeats, replay.
import assert from "node:assert/strict";
import { test } from "node:test";
import { constantTimeEquals } from "../src/auth";
import { createHandler, type HttpEnv } from "../src/http";
import { StubBackend } from "../src/stubBackend";

const TOKEN = "t0ken-for-tests";
const backend = new StubBackend();
const handler = createHandler<HttpEnv>(() => backend);
const env: HttpEnv = { CLOUDFLARE_SANDBOX_TOKEN: TOKEN, HEARTBEAT_MS: "100" };

function call(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string>; env?: HttpEnv } = {}) {
  const headers = { Authorization: `Bearer ${TOKEN}`, ...init.headers };
  return handler.fetch(new Request(`http://worker${path}`, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) }), init.env ?? env);
}

interface Frame {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

async function frames(res: Response): Promise<Frame[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((b) => b.trim() !== "")
    .map((block) => {
      const f: Record<string, string> = {};
      for (const line of block.split("\n")) {
        const i = line.indexOf(": ");
        f[line.slice(0, i)] = line.slice(i + 2);
      }
      return { id: f["id"]!, event: f["event"]!, data: JSON.parse(f["data"]!) as Record<string, unknown> };
    });
}

const text = (f: Frame) => Buffer.from(String(f.data["data"]), "base64").toString();

async function sandbox(): Promise<string> {
  const res = await call("POST", "/v1/sandboxes", { body: JSON.stringify({ labels: { run: "t" } }) });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

test("constant-time compare", async () => {
  assert.equal(await constantTimeEquals("abc", "abc"), true);
  assert.equal(await constantTimeEquals("abc", "abd"), false);
  assert.equal(await constantTimeEquals("abc", "abcd"), false);
  assert.equal(await constantTimeEquals("", "x"), false);
});

test("health needs no token; /v1 needs the right one, or a configured secret", async () => {
  const health = await handler.fetch(new Request("http://worker/health"), {});
  assert.deepEqual(await health.json(), { ok: true, version: "0.1.0", sdk: "stub" });
  const none = await handler.fetch(new Request("http://worker/v1/sandboxes"), env);
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { code: string }).code, "unauthorized");
  assert.equal((await call("GET", "/v1/sandboxes", { headers: { Authorization: "Bearer wrong" } })).status, 401);
  const unset = await call("GET", "/v1/sandboxes", { env: { CLOUDFLARE_SANDBOX_TOKEN: "" } });
  assert.equal(unset.status, 503);
  assert.equal(((await unset.json()) as { code: string }).code, "not_configured");
});

test("exec streams start, output in order, exit; ids are seqs", async () => {
  const id = await sandbox();
  const res = await call("POST", `/v1/sandboxes/${id}/exec`, { body: JSON.stringify({ argv: ["sh", "-c", "echo a; echoerr b; exit 4"] }) });
  assert.equal(res.headers.get("Content-Type"), "text/event-stream; charset=utf-8");
  const fs = await frames(res);
  assert.deepEqual(fs.map((f) => [f.id, f.event]), [["0", "start"], ["1", "stdout"], ["2", "stderr"], ["3", "exit"]]);
  assert.equal(text(fs[1]!), "a\n");
  assert.equal(text(fs[2]!), "b\n");
  assert.deepEqual(fs[3]!.data, { seq: 3, exitCode: 4 });
});

test("heartbeats while idle carry the current seq", async () => {
  const id = await sandbox();
  const fs = await frames(await call("POST", `/v1/sandboxes/${id}/exec`, { body: JSON.stringify({ argv: ["sh", "-c", "echo x; sleep 0.35; echo y"] }) }));
  const beats = fs.filter((f) => f.event === "heartbeat");
  assert.ok(beats.length >= 2, `expected heartbeats, got ${fs.map((f) => f.event).join(",")}`);
  for (const b of beats) {
    assert.equal(b.id, "1");
    assert.deepEqual(b.data, {});
  }
  assert.equal(fs.at(-1)!.event, "exit");
});

test("re-attach replays exactly what was missed, by ?after= or Last-Event-ID", async () => {
  const id = await sandbox();
  const started = await call("POST", `/v1/sandboxes/${id}/exec`, { body: JSON.stringify({ argv: ["chunks", "4", "50"] }) });
  const execId = (await frames(started))[0]!.data["execId"] as string;
  const after2 = await frames(await call("GET", `/v1/sandboxes/${id}/exec/${execId}/events?after=2`));
  assert.deepEqual(after2.map((f) => f.event), ["stdout", "stdout", "exit"]);
  assert.equal(text(after2[0]!), "chunk 3\n");
  const byHeader = await frames(await call("GET", `/v1/sandboxes/${id}/exec/${execId}/events`, { headers: { "Last-Event-ID": "4" } }));
  assert.deepEqual(byHeader.map((f) => [f.id, f.event]), [["5", "exit"]]);
  const all = await frames(await call("GET", `/v1/sandboxes/${id}/exec/${execId}/events`));
  assert.deepEqual(all.map((f) => f.event), ["start", "stdout", "stdout", "stdout", "stdout", "exit"]);
  const status = await call("GET", `/v1/sandboxes/${id}/exec/${execId}`);
  assert.deepEqual(await status.json(), { execId, running: false, exitCode: 0 });
});

test("timeoutMs ends the exec with 124", async () => {
  const id = await sandbox();
  const fs = await frames(await call("POST", `/v1/sandboxes/${id}/exec`, { body: JSON.stringify({ argv: ["sh", "-c", "echo a; sleep 10; echo b"], timeoutMs: 150 }) }));
  assert.deepEqual(fs.filter((f) => f.event !== "heartbeat").map((f) => f.event), ["start", "stdout", "exit"]);
  assert.equal(fs.at(-1)!.data["exitCode"], 124);
});

test("errors are JSON with a code; delete is idempotent", async () => {
  const id = await sandbox();
  const bad = await call("POST", `/v1/sandboxes/${id}/exec`, { body: JSON.stringify({ argv: "echo" }) });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { code: string }).code, "bad_request");
  assert.equal((await call("GET", `/v1/sandboxes/${id}/exec/00000000-0000-4000-8000-000000000000`)).status, 404);
  assert.equal((await call("DELETE", `/v1/sandboxes/${id}`)).status, 204);
  assert.equal((await call("DELETE", `/v1/sandboxes/${id}`)).status, 204);
  const gone = await call("PUT", `/v1/sandboxes/${id}/archive?dest=/workspace`, { body: new Uint8Array(1024) });
  assert.equal(gone.status, 404);
});

test("archive round trip: upload, a command's file, download with excludes", async () => {
  const { readTar, writeTar } = await import("../src/tar");
  const enc = new TextEncoder();
  const f = (name: string, s: string) => ({ name, type: "file" as const, mode: 0o644, mtime: 1700000000, data: enc.encode(s), linkname: "" });
  const id = await sandbox();
  const tar = writeTar([f("./a.txt", "A"), f("./node_modules/x/y.js", "junk"), f("./src/.git/HEAD", "ref"), f("./src/main.ts", "code")]);
  assert.equal((await call("PUT", `/v1/sandboxes/${id}/archive?dest=/workspace/p`, { body: tar })).status, 204);
  await frames(await call("POST", `/v1/sandboxes/${id}/exec`, { body: JSON.stringify({ argv: ["sh", "-c", "cat a.txt > copy.txt"], cwd: "/workspace/p" }) }));
  const res = await call("GET", `/v1/sandboxes/${id}/archive?path=/workspace/p&exclude=node_modules,.git`);
  assert.equal(res.headers.get("Content-Type"), "application/x-tar");
  const entries = readTar(new Uint8Array(await res.arrayBuffer()));
  assert.deepEqual(entries.map((e) => e.name), ["./", "./a.txt", "./copy.txt", "./src/", "./src/main.ts"]);
  assert.equal(new TextDecoder().decode(entries[2]!.data), "A");
  const escape = writeTar([f("../evil", "x")]);
  assert.equal((await call("PUT", `/v1/sandboxes/${id}/archive?dest=/workspace`, { body: escape })).status, 400);
});

test("list shows labels and creation time", async () => {
  const id = await sandbox();
  const list = (await (await call("GET", "/v1/sandboxes")).json()) as { sandboxes: { id: string; labels: Record<string, string>; createdAt: string }[] };
  const mine = list.sandboxes.find((s) => s.id === id)!;
  assert.deepEqual(mine.labels, { run: "t" });
  assert.ok(!Number.isNaN(Date.parse(mine.createdAt)));
});

async function create(body: unknown): Promise<Response> {
  return call("POST", "/v1/sandboxes", { body: JSON.stringify(body) });
}

test("create keeps the egress policy it is given, lowercased and without repeats, and echoes it", async () => {
  const res = await create({ labels: { run: "e" }, egress: { mode: "allowlist", hosts: ["api.anthropic.com", "*.Example.com", "api.anthropic.com"] } });
  assert.equal(res.status, 201);
  const body = (await res.json()) as { id: string; egress: unknown };
  const expected = { mode: "allowlist", hosts: ["api.anthropic.com", "*.example.com"] };
  assert.deepEqual(body.egress, expected);
  assert.deepEqual(backend.egressOf(body.id), expected);
  const none = (await (await create({ egress: { mode: "none", hosts: ["llm.gateway.example"] } })).json()) as { id: string };
  assert.deepEqual(backend.egressOf(none.id), { mode: "none", hosts: ["llm.gateway.example"] });
});

test("a create without egress, with null or with mode open is open and records no host", async () => {
  for (const body of [{ labels: {} }, { egress: null }, { egress: { mode: "open" } }, { egress: { mode: "open", hosts: [] } }]) {
    const res = await create(body);
    assert.equal(res.status, 201, JSON.stringify(body));
    const created = (await res.json()) as { id: string; egress: unknown };
    assert.deepEqual(created.egress, { mode: "open", hosts: [] });
    assert.deepEqual(backend.egressOf(created.id), { mode: "open", hosts: [] });
  }
});

test("a bad egress is refused with 400 bad_request naming the field, and creates nothing", async () => {
  const cases: [unknown, RegExp][] = [
    [{ mode: "closed", hosts: ["a.example"] }, /^egress\.mode must be "open", "allowlist" or "none"$/],
    [{ hosts: ["a.example"] }, /^egress\.mode must be/],
    [{ mode: "ALLOWLIST", hosts: ["a.example"] }, /^egress\.mode must be/],
    [{ mode: "allowlist", hosts: ["a.example", 7] }, /^egress\.hosts\[1\] must be a string$/],
    [{ mode: "allowlist", hosts: [null] }, /^egress\.hosts\[0\] must be a string$/],
    [{ mode: "allowlist", hosts: "a.example" }, /^egress\.hosts must be an array of strings$/],
    [{ mode: "allowlist", hosts: ["https://a.example"] }, /^egress\.hosts\[0\]: "https:\/\/a\.example" is not a host name/],
    [{ mode: "allowlist", hosts: ["a.example:443"] }, /is not a host name/],
    [{ mode: "allowlist", hosts: ["*"] }, /is not a host name/],
    [{ mode: "allowlist", hosts: [] }, /^egress mode "allowlist" needs at least one host/],
    [{ mode: "none" }, /^egress mode "none" needs at least one host/],
    [{ mode: "open", hosts: ["a.example"] }, /^egress\.hosts needs mode "allowlist" or "none"$/],
    ["allowlist", /^egress must be an object/],
    [["allowlist"], /^egress must be an object/],
  ];
  const before = (await backend.list()).length;
  for (const [egress, message] of cases) {
    const res = await create({ labels: { run: "bad" }, egress });
    assert.equal(res.status, 400, JSON.stringify(egress));
    const err = (await res.json()) as { code: string; message: string };
    assert.equal(err.code, "bad_request");
    assert.match(err.message, message, JSON.stringify(egress));
  }
  assert.equal((await backend.list()).length, before);
});
