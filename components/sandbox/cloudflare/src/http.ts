// The Worker's HTTP layer: routing, bearer auth, JSON errors, the exec event stream (SSE) and the
// archive routes. It knows nothing of the Sandbox SDK: it talks to a SandboxBackend (backend.ts).
// The contract it implements is CONTRACT.md in this folder.

import { constantTimeEquals } from "./auth";
import {
  BackendError,
  errorMessage,
  OPEN_EGRESS,
  type EgressMode,
  type EgressPolicy,
  type ExecRequest,
  type Labels,
  type SandboxBackend,
} from "./backend";
import { sseResponse, type SseFrame } from "./sse";

/** The Worker's own version, reported by GET /health. */
export const WORKER_VERSION = "0.1.0";

export interface HttpEnv {
  /** Bearer token (a Worker secret). Unset or empty: every /v1 route answers 503 not_configured. */
  CLOUDFLARE_SANDBOX_TOKEN?: string;
  /** Heartbeat interval of exec streams in ms (default 20000). Short values are for tests. */
  HEARTBEAT_MS?: string;
  /** Largest accepted archive upload in bytes (default 512 MiB). */
  MAX_UPLOAD_BYTES?: string;
}

const DEFAULT_HEARTBEAT_MS = 20_000;
const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const MAX_TIMEOUT_MS = 7 * 24 * 3600 * 1000;
const ID_RE = /^[a-z0-9][a-z0-9-]{7,63}$/;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
// The same host names cct accepts for --allow-host: a name, or "*." and a name for its subdomains.
const HOST_RE = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const EGRESS_MODES: readonly EgressMode[] = ["open", "allowlist", "none"];
const MAX_EGRESS_HOSTS = 500;

export function createHandler<E extends HttpEnv>(backendFor: (env: E) => SandboxBackend) {
  return {
    async fetch(request: Request, env: E): Promise<Response> {
      try {
        return await route(request, env, backendFor);
      } catch (e) {
        if (e instanceof BackendError) return jsonError(e.status, e.code, e.message);
        console.error("internal error", e);
        return jsonError(500, "internal", errorMessage(e));
      }
    },
  };
}

async function route<E extends HttpEnv>(
  request: Request,
  env: E,
  backendFor: (env: E) => SandboxBackend,
): Promise<Response> {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const path = url.pathname.replace(/\/+$/, "") || "/";

  if (path === "/health") {
    if (method !== "GET" && method !== "HEAD") return noRoute(method, path);
    const backend = backendFor(env);
    return json(200, { ok: true, version: WORKER_VERSION, sdk: backend.sdkVersion });
  }
  if (path !== "/v1" && !path.startsWith("/v1/")) return noRoute(method, path);

  const expected = env.CLOUDFLARE_SANDBOX_TOKEN ?? "";
  if (expected === "") {
    return jsonError(503, "not_configured", "the Worker has no CLOUDFLARE_SANDBOX_TOKEN secret; run: wrangler secret put CLOUDFLARE_SANDBOX_TOKEN");
  }
  const auth = request.headers.get("Authorization") ?? "";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m || !(await constantTimeEquals(m[1]!, expected))) {
    return jsonError(401, "unauthorized", "missing or wrong bearer token");
  }

  const backend = backendFor(env);
  const seg = path.split("/").slice(2); // after "", "v1"
  if (seg[0] !== "sandboxes") return noRoute(method, path);

  // /v1/sandboxes
  if (seg.length === 1) {
    if (method === "POST") {
      const body = await readJson(request);
      const labels = parseLabels(body["labels"]);
      const egress = parseEgress(body["egress"]);
      const created = await backend.create(labels, egress);
      // Echoed so that the client can tell this Worker from an older one that would ignore the
      // field and leave the sandbox open.
      return json(201, { ...created, egress });
    }
    if (method === "GET") return json(200, { sandboxes: await backend.list() });
    return noRoute(method, path);
  }

  const id = seg[1]!;
  if (!ID_RE.test(id)) throw new BackendError(404, "not_found", "sandbox not found");

  // /v1/sandboxes/{id}
  if (seg.length === 2) {
    if (method === "DELETE") {
      await backend.destroy(id);
      return new Response(null, { status: 204 });
    }
    return noRoute(method, path);
  }

  // /v1/sandboxes/{id}/archive
  if (seg.length === 3 && seg[2] === "archive") {
    if (method === "PUT") return putArchive(request, url, env, backend, id);
    if (method === "GET") {
      const p = absPath(url.searchParams.get("path"), "path");
      const exclude = (url.searchParams.get("exclude") ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      for (const name of exclude) {
        if (name.includes("/") || name === "." || name === "..") {
          throw bad(`exclude: "${name}" is not a single path segment`);
        }
      }
      const tar = await backend.downloadTar(id, p, exclude);
      return new Response(tar, { status: 200, headers: { "Content-Type": "application/x-tar" } });
    }
    return noRoute(method, path);
  }

  // /v1/sandboxes/{id}/exec
  if (seg[2] === "exec") {
    if (seg.length === 3) {
      if (method !== "POST") return noRoute(method, path);
      const req = parseExecRequest(await readJson(request));
      const started = await backend.startExec(id, req);
      return sseResponse(
        { id: 0, event: "start", data: { execId: started.execId, pid: started.pid } },
        (signal) => backend.events(id, started.execId, 0, signal),
        0,
        heartbeatMs(env),
      );
    }
    const execId = seg[3]!;
    if (!ID_RE.test(execId)) throw new BackendError(404, "not_found", "exec not found");
    if (seg.length === 4) {
      if (method !== "GET") return noRoute(method, path);
      return json(200, await backend.execStatus(id, execId));
    }
    if (seg.length === 5 && seg[4] === "events") {
      if (method !== "GET") return noRoute(method, path);
      const afterRaw = url.searchParams.get("after") ?? request.headers.get("Last-Event-ID");
      let after = 0;
      let first: SseFrame | null = null;
      if (afterRaw === null || afterRaw.trim() === "") {
        // No position: replay everything, the start event included.
        const pid = await backend.execPid(id, execId);
        first = { id: 0, event: "start", data: { execId, pid } };
      } else {
        if (!/^\d{1,15}$/.test(afterRaw.trim())) throw bad("after must be a non-negative integer");
        after = Number(afterRaw.trim());
        await backend.execPid(id, execId); // 404 for an unknown exec before the stream starts
      }
      return sseResponse(first, (signal) => backend.events(id, execId, after, signal), after, heartbeatMs(env));
    }
  }
  return noRoute(method, path);
}

async function putArchive(request: Request, url: URL, env: HttpEnv, backend: SandboxBackend, id: string) {
  const dest = absPath(url.searchParams.get("dest"), "dest");
  const max = positiveInt(env.MAX_UPLOAD_BYTES) ?? DEFAULT_MAX_UPLOAD_BYTES;
  const len = request.headers.get("Content-Length");
  if (len !== null && Number(len) > max) {
    throw new BackendError(413, "payload_too_large", `archive is ${len} bytes; the limit is ${max}`);
  }
  if (request.body === null) throw bad("missing request body (a tar archive)");
  await backend.uploadTar(id, dest, request.body, max);
  return new Response(null, { status: 204 });
}

// ---------------------------------------------------------------------------------------------
// Request parsing

async function readJson(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === "") return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad("request body is not valid JSON");
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad("request body must be a JSON object");
  return v as Record<string, unknown>;
}

function parseLabels(v: unknown): Labels {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw bad("labels must be an object of strings");
  const out: Labels = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val !== "string") throw bad(`label "${k}" must be a string`);
    out[k] = val;
  }
  return out;
}

/** Absent or null: open, as before egress existed. */
export function parseEgress(v: unknown): EgressPolicy {
  if (v === undefined || v === null) return OPEN_EGRESS;
  if (typeof v !== "object" || Array.isArray(v)) throw bad('egress must be an object {"mode":...,"hosts":[...]}');
  const o = v as Record<string, unknown>;
  const mode = o["mode"];
  if (typeof mode !== "string" || !(EGRESS_MODES as readonly string[]).includes(mode)) {
    throw bad(`egress.mode must be "open", "allowlist" or "none"`);
  }
  const raw = o["hosts"] ?? [];
  if (!Array.isArray(raw)) throw bad("egress.hosts must be an array of strings");
  if (raw.length > MAX_EGRESS_HOSTS) throw bad(`egress.hosts has more than ${MAX_EGRESS_HOSTS} entries`);
  const hosts: string[] = [];
  raw.forEach((h: unknown, i: number) => {
    if (typeof h !== "string") throw bad(`egress.hosts[${i}] must be a string`);
    const host = h.trim().toLowerCase();
    if (host.length > 253 || !HOST_RE.test(host)) {
      throw bad(`egress.hosts[${i}]: "${h.slice(0, 100)}" is not a host name or *.domain pattern (no scheme, port or path)`);
    }
    if (!hosts.includes(host)) hosts.push(host);
  });
  if (mode === "open") {
    if (hosts.length > 0) throw bad('egress.hosts needs mode "allowlist" or "none"');
    return OPEN_EGRESS;
  }
  // An empty list would shut Claude Code out of its own API: the run could only fail.
  if (hosts.length === 0) throw bad(`egress mode "${mode}" needs at least one host (Claude's API host)`);
  return { mode: mode as EgressMode, hosts };
}

function parseExecRequest(body: Record<string, unknown>): ExecRequest {
  const argv = body["argv"];
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === "string")) {
    throw bad("argv must be a non-empty array of strings");
  }
  if (argv.some((a: string) => a.includes("\0"))) throw bad("argv must not contain NUL characters");
  const req: ExecRequest = { argv: argv as string[] };
  const env = body["env"];
  if (env !== undefined && env !== null) {
    if (typeof env !== "object" || Array.isArray(env)) throw bad("env must be an object of strings");
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(env as Record<string, unknown>)) {
      if (!ENV_NAME_RE.test(k)) throw bad(`env: "${k}" is not a valid variable name`);
      if (typeof val !== "string" || val.includes("\0")) throw bad(`env: "${k}" must be a string without NUL`);
      out[k] = val;
    }
    req.env = out;
  }
  if (body["cwd"] !== undefined && body["cwd"] !== null) {
    if (typeof body["cwd"] !== "string") throw bad("cwd must be a string");
    req.cwd = absPath(body["cwd"], "cwd");
  }
  const t = body["timeoutMs"];
  if (t !== undefined && t !== null) {
    if (typeof t !== "number" || !Number.isInteger(t) || t <= 0 || t > MAX_TIMEOUT_MS) {
      throw bad(`timeoutMs must be an integer between 1 and ${MAX_TIMEOUT_MS}`);
    }
    req.timeoutMs = t;
  }
  return req;
}

function absPath(v: string | null, name: string): string {
  if (v === null || v === "") throw bad(`${name} is required`);
  if (!v.startsWith("/") || v.includes("\0")) throw bad(`${name} must be an absolute path`);
  const segs = v.split("/").filter((seg) => seg !== "" && seg !== ".");
  if (segs.includes("..")) throw bad(`${name} must not contain ".."`);
  // Normalized ("/a//b/./" is "/a/b"), so backends can compare paths as strings.
  return "/" + segs.join("/");
}

function heartbeatMs(env: HttpEnv): number {
  return positiveInt(env.HEARTBEAT_MS) ?? DEFAULT_HEARTBEAT_MS;
}

function positiveInt(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s.trim())) return undefined;
  const n = Number(s.trim());
  return n > 0 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function bad(message: string) {
  return new BackendError(400, "bad_request", message);
}

function noRoute(method: string, path: string): Response {
  return jsonError(404, "not_found", `no route for ${method} ${path}`);
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

function jsonError(status: number, code: string, message: string): Response {
  return json(status, { code, message });
}

