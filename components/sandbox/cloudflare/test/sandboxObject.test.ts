// The Sandbox Durable Object class (src/sandboxObject.ts) over the real SDK classes, with a fake
// object state and container: what configureEgress leaves for the container's start, that a
// recreated object comes back locked from storage, and what the SDK's interceptor then does with
// the props it is given. What no test here can show is Cloudflare's runtime applying them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ContainerProxy } from "@cloudflare/sandbox";
import { EGRESS_KEY, Sandbox } from "../src/sandboxObject";

// The SDK logs every object's transport at info; that is noise here.
process.env["SANDBOX_LOG_LEVEL"] ??= "error";

interface Fake {
  ctx: DurableObjectState<{}>;
  storage: Map<string, unknown>;
  /** Props of every interceptor the object asked for. */
  proxies: Record<string, unknown>[];
  /** "http HOST", "https HOST" or "all", in order. */
  intercepts: string[];
  settle(): Promise<void>;
  container: { running: boolean };
}

function fake(storage = new Map<string, unknown>(), running = false): Fake {
  const kv = new Map<string, unknown>();
  const pending: Promise<unknown>[] = [];
  const proxies: Record<string, unknown>[] = [];
  const intercepts: string[] = [];
  const container = {
    running,
    async interceptOutboundHttp(host: string) {
      intercepts.push(`http ${host}`);
    },
    async interceptOutboundHttps(host: string) {
      intercepts.push(`https ${host}`);
    },
    async interceptAllOutboundHttp() {
      intercepts.push("all");
    },
    monitor: () => new Promise(() => {}),
    start() {},
  };
  const ctx = {
    id: { toString: () => "0123abcd", name: "sbx", equals: () => false },
    storage: {
      async get(key: string) {
        return storage.get(key);
      },
      async put(key: string, value: unknown) {
        storage.set(key, structuredClone(value));
      },
      async delete(key: string) {
        return storage.delete(key);
      },
      async list() {
        return new Map();
      },
      async getAlarm() {
        return null;
      },
      async setAlarm() {},
      async deleteAlarm() {},
      async sync() {},
      kv: { get: (k: string) => kv.get(k), put: (k: string, v: unknown) => kv.set(k, v), delete: (k: string) => kv.delete(k) },
      sql: { exec: () => [] },
    },
    container,
    exports: {
      ContainerProxy(opts: { props: Record<string, unknown> }) {
        proxies.push(opts.props);
        return { fetch: async () => new Response(null) };
      },
    },
    blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T> {
      const p = fn();
      pending.push(p);
      return p;
    },
    waitUntil() {},
  } as unknown as DurableObjectState<{}>;
  return { ctx, storage, proxies, intercepts, container, settle: async () => void (await Promise.all(pending)) };
}

/** The fields the base Container reads when it starts the container. */
function startFields(s: Sandbox) {
  const o = s as unknown as { enableInternet: boolean; interceptHttps: boolean; allowedHosts?: string[]; envVars: Record<string, string> };
  return { enableInternet: o.enableInternet, interceptHttps: o.interceptHttps, allowedHosts: o.allowedHosts, ca: o.envVars["SANDBOX_INTERCEPT_HTTPS"] };
}

const HOSTS = ["api.anthropic.com", "*.example.com"];

test("an object never configured keeps the SDK's defaults: internet on, nothing intercepted", async () => {
  const f = fake();
  const s = new Sandbox(f.ctx, {});
  await f.settle();
  assert.deepEqual(startFields(s), { enableInternet: true, interceptHttps: false, allowedHosts: undefined, ca: undefined });
  assert.deepEqual(f.proxies, []);
});

test("configureEgress stores the policy, locks the start fields and intercepts all HTTP and HTTPS", async () => {
  const f = fake();
  const s = new Sandbox(f.ctx, {});
  await f.settle();
  await s.configureEgress("allowlist", HOSTS);
  assert.deepEqual(f.storage.get(EGRESS_KEY), { mode: "allowlist", hosts: HOSTS });
  assert.deepEqual(startFields(s), { enableInternet: false, interceptHttps: true, allowedHosts: HOSTS, ca: "1" });
  assert.equal(f.proxies.length, 1);
  assert.equal(f.proxies[0]!["enableInternet"], false);
  assert.deepEqual(f.proxies[0]!["allowedHosts"], HOSTS);
  assert.equal(f.proxies[0]!["interceptAll"], true);
  assert.deepEqual(f.intercepts, ["https *", "all"]);
});

test("a recreated object comes back locked from storage, before any request", async () => {
  const first = fake();
  const s = new Sandbox(first.ctx, {});
  await first.settle();
  await s.configureEgress("none", ["api.anthropic.com"]);

  const again = fake(first.storage);
  const restarted = new Sandbox(again.ctx, {});
  await again.settle();
  assert.deepEqual(startFields(restarted), { enableInternet: false, interceptHttps: true, allowedHosts: ["api.anthropic.com"], ca: "1" });

  // Recreated while its container runs: the interception is applied again with the locked fields.
  const running = fake(first.storage, true);
  new Sandbox(running.ctx, {});
  await running.settle();
  assert.ok(running.proxies.length >= 1);
  for (const props of running.proxies) {
    assert.equal(props["enableInternet"], false);
    assert.deepEqual(props["allowedHosts"], ["api.anthropic.com"]);
  }
});

test("a stored mode this code does not know stays locked, with no host", async () => {
  const f = fake(new Map<string, unknown>([[EGRESS_KEY, { mode: "later", hosts: "x" }]]));
  const s = new Sandbox(f.ctx, {});
  await f.settle();
  assert.deepEqual(startFields(s), { enableInternet: false, interceptHttps: true, allowedHosts: [], ca: "1" });
});

test("configureEgress refuses a running container and unknown modes", async () => {
  const f = fake(new Map(), true);
  const s = new Sandbox(f.ctx, {});
  await f.settle();
  await assert.rejects(s.configureEgress("allowlist", HOSTS), /before the container starts/);
  f.container.running = false;
  await assert.rejects(s.configureEgress("open" as "none", HOSTS), /unknown egress mode/);
  assert.equal(f.storage.has(EGRESS_KEY), false);
});

test("the SDK's interceptor, given those props, answers 520 for other hosts and forwards the listed ones", async () => {
  const f = fake();
  const s = new Sandbox(f.ctx, {});
  await f.settle();
  await s.configureEgress("allowlist", HOSTS);
  const props = f.proxies.at(-1)!;
  const proxy = new ContainerProxy({ props } as unknown as ExecutionContext, {});
  const forwarded: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (r: Request) => {
    forwarded.push(new URL(r.url).hostname);
    return new Response("upstream");
  }) as typeof fetch;
  try {
    const status = async (url: string) => (await proxy.fetch(new Request(url))).status;
    assert.equal(await status("https://api.anthropic.com/v1/messages"), 200);
    assert.equal(await status("https://deep.sub.example.com/x"), 200);
    assert.equal(await status("https://example.com/"), 520);
    assert.equal(await status("http://evil.test/"), 520);
    assert.equal(await status("https://api.anthropic.com.evil.test/"), 520);
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(forwarded, ["api.anthropic.com", "deep.sub.example.com"]);
});
