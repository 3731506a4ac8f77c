// An in-memory SandboxBackend for local runs (`wrangler dev --local --config wrangler.local.jsonc`),
// so the real HTTP layer can be tested, and the Java client against it, without Cloudflare.
//
// It runs no process. Each exec is a timeline computed at start by stubScript.ts; streaming it
// means waiting for each event's due time, so an exec "keeps running" with nobody listening and a
// re-attach replays exactly what was missed. State lives in the isolate's memory: restarting
// wrangler forgets every sandbox. An egress policy is only recorded (egressOf): there is no
// network to keep it on.
//
// Command set (the same table is in CONTRACT.md, "Stub backend commands"). argv[0] names the
// command (a directory part is ignored); `sh -c SCRIPT` / `bash -c SCRIPT` run a script of commands
// separated by `;`, `&&` or newlines, quotes group words, one trailing `>&2`, `> FILE` or `>> FILE`.
//   echo [-n] ARG...        stdout, one chunk          echoerr ARG...   the same on stderr
//   printf FORMAT [ARG...]  %s %% \n \t \\ \xHH        sleep SECONDS    nothing for that long
//   exit [N]                end now with code N        true / false     exit code 0 / 1
//   cat FILE...             file bytes, one chunk each; missing file: message on stderr, exit 1
//   chunks N [DELAY_MS]     "chunk 1\n" ... "chunk N\n", DELAY_MS apart
//   pwd / cd DIR            print / change the working directory
//   env                     the request's env as sorted K=V lines
//   write FILE TEXT...      create or replace FILE with TEXT
//   stub-error CODE MSG...  end with an `error` event instead of `exit`
//   anything else           "stub: NAME: command not found" on stderr, exit 127

import {
  BackendError,
  notFound,
  type CreatedSandbox,
  type EgressPolicy,
  type ExecEvent,
  type ExecRequest,
  type ExecStarted,
  type ExecStatus,
  type Labels,
  type SandboxBackend,
  type SandboxInfo,
} from "./backend";
import { applyTimeout, resolvePath, simulate, type Step } from "./stubScript";
import { readTar, writeTar, type TarEntry, type TarEntryType } from "./tar";

const HOME = "/home/cct";
const USER = "cct";
const WORKSPACE = "/workspace";

interface Node {
  type: TarEntryType;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  data: Uint8Array;
  linkname: string;
}

interface Exec {
  execId: string;
  pid: number;
  startedAt: number;
  steps: Step[];
  /** Output, exit and error steps with their seq (from 1), in order. */
  events: ExecEvent[];
  /** Due time (ms after start) of each event in `events`. */
  dueAt: number[];
  /** How many `write` steps were applied to the file tree already. */
  writesApplied: number;
}

interface StubSandbox {
  info: SandboxInfo;
  egress: EgressPolicy;
  /** Absolute normalized path -> node. "/" is implicit. */
  files: Map<string, Node>;
  execs: Map<string, Exec>;
}

export class StubBackend implements SandboxBackend {
  readonly sdkVersion = "stub";
  private readonly sandboxes = new Map<string, StubSandbox>();
  private nextPid = 100;

  async create(labels: Labels, egress: EgressPolicy): Promise<CreatedSandbox> {
    const id = crypto.randomUUID();
    const sb: StubSandbox = {
      info: { id, labels: { ...labels }, createdAt: new Date().toISOString() },
      egress: { mode: egress.mode, hosts: [...egress.hosts] },
      files: new Map(),
      execs: new Map(),
    };
    for (const dir of [HOME, WORKSPACE]) mkdirs(sb.files, dir);
    this.sandboxes.set(id, sb);
    return { id, home: HOME, user: USER, workspaceRoot: WORKSPACE };
  }

  /** The policy a sandbox was created with, as the SDK backend would have applied it. */
  egressOf(id: string): EgressPolicy {
    const { mode, hosts } = this.sandbox(id).egress;
    return { mode, hosts: [...hosts] };
  }

  async list(): Promise<SandboxInfo[]> {
    return [...this.sandboxes.values()].map((s) => ({ ...s.info, labels: { ...s.info.labels } }));
  }

  async uploadTar(id: string, dest: string, tar: ReadableStream<Uint8Array>, maxBytes: number): Promise<void> {
    const sb = this.sandbox(id);
    const bytes = await readAll(tar, maxBytes);
    let entries: TarEntry[];
    try {
      entries = readTar(bytes);
    } catch (e) {
      throw new BackendError(400, "bad_request", `not a valid tar archive: ${e instanceof Error ? e.message : String(e)}`);
    }
    settle(sb);
    // Check every name before writing anything, so a bad archive changes nothing.
    const placed = entries.map((e) => ({ entry: e, path: entryPath(dest, e.name) }));
    mkdirs(sb.files, dest);
    for (const { entry, path } of placed) {
      if (path === dest) continue; // the "./" entry
      mkdirs(sb.files, parentOf(path));
      sb.files.set(path, {
        type: entry.type,
        mode: entry.mode || (entry.type === "dir" ? 0o755 : 0o644),
        mtime: entry.mtime,
        data: entry.data,
        linkname: entry.linkname,
      });
    }
  }

  async startExec(id: string, req: ExecRequest): Promise<ExecStarted> {
    const sb = this.sandbox(id);
    settle(sb);
    const cwd = req.cwd ?? WORKSPACE;
    const steps = applyTimeout(
      simulate({
        argv: req.argv,
        env: req.env ?? {},
        cwd,
        readFile: (p) => {
          const n = sb.files.get(p);
          return n?.type === "file" ? n.data : undefined;
        },
      }),
      req.timeoutMs,
    );
    const events: ExecEvent[] = [];
    const dueAt: number[] = [];
    for (const s of steps) {
      const seq = events.length + 1;
      if (s.kind === "stdout" || s.kind === "stderr") events.push({ seq, type: s.kind, data: s.data });
      else if (s.kind === "exit") events.push({ seq, type: "exit", exitCode: s.exitCode });
      else if (s.kind === "error") events.push({ seq, type: "error", code: s.code, message: s.message });
      else continue;
      dueAt.push(s.at);
    }
    const exec: Exec = { execId: crypto.randomUUID(), pid: this.nextPid++, startedAt: Date.now(), steps, events, dueAt, writesApplied: 0 };
    sb.execs.set(exec.execId, exec);
    return { execId: exec.execId, pid: exec.pid };
  }

  async execPid(id: string, execId: string): Promise<number> {
    return this.exec(id, execId).pid;
  }

  async *events(id: string, execId: string, after: number, signal: AbortSignal): AsyncIterable<ExecEvent> {
    const exec = this.exec(id, execId);
    for (let i = Math.max(0, after); i < exec.events.length; i++) {
      const wait = exec.startedAt + exec.dueAt[i]! - Date.now();
      if (wait > 0) await sleep(wait, signal);
      if (!this.sandboxes.has(id)) {
        // Destroyed while someone listened: what a lost container looks like.
        yield { seq: i + 1, type: "error", code: "unavailable", message: "the sandbox was destroyed" };
        return;
      }
      yield exec.events[i]!;
    }
  }

  async execStatus(id: string, execId: string): Promise<ExecStatus> {
    const exec = this.exec(id, execId);
    const last = exec.events[exec.events.length - 1]!;
    const running = Date.now() < exec.startedAt + exec.dueAt[exec.dueAt.length - 1]!;
    return { execId, running, exitCode: !running && last.type === "exit" ? last.exitCode : null };
  }

  async downloadTar(id: string, path: string, exclude: string[]): Promise<ReadableStream<Uint8Array>> {
    const sb = this.sandbox(id);
    settle(sb);
    const root = path === "/" ? undefined : sb.files.get(path);
    if (path !== "/" && root === undefined) throw notFound(`path ${path}`);
    if (root && root.type !== "dir") throw new BackendError(400, "bad_request", `${path} is not a directory`);
    const excluded = new Set(exclude);
    const prefix = path === "/" ? "/" : path + "/";
    const entries: TarEntry[] = [{ name: "./", type: "dir", mode: root?.mode ?? 0o755, mtime: root?.mtime ?? 0, data: new Uint8Array(0), linkname: "" }];
    // Lexicographic order puts a directory before everything inside it, as tar expects.
    for (const p of [...sb.files.keys()].filter((k) => k.startsWith(prefix)).sort()) {
      const rel = p.slice(prefix.length);
      if (rel.split("/").some((seg) => excluded.has(seg))) continue;
      const n = sb.files.get(p)!;
      entries.push({ name: "./" + rel + (n.type === "dir" ? "/" : ""), type: n.type, mode: n.mode, mtime: n.mtime, data: n.data, linkname: n.linkname });
    }
    const bytes = writeTar(entries);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }

  async destroy(id: string): Promise<void> {
    this.sandboxes.delete(id);
  }

  private sandbox(id: string): StubSandbox {
    const sb = this.sandboxes.get(id);
    if (!sb) throw notFound(`sandbox ${id}`);
    return sb;
  }

  private exec(id: string, execId: string): Exec {
    const exec = this.sandbox(id).execs.get(execId);
    if (!exec) throw notFound(`exec ${execId}`);
    return exec;
  }
}

/** Applies the file writes of every exec that are due by now, in time order. */
function settle(sb: StubSandbox): void {
  const now = Date.now();
  const due: { time: number; step: Extract<Step, { kind: "write" }> }[] = [];
  for (const exec of sb.execs.values()) {
    const writes = exec.steps.filter((s): s is Extract<Step, { kind: "write" }> => s.kind === "write");
    for (let i = exec.writesApplied; i < writes.length; i++) {
      const time = exec.startedAt + writes[i]!.at;
      if (time > now) break;
      due.push({ time, step: writes[i]! });
      exec.writesApplied = i + 1;
    }
  }
  due.sort((a, b) => a.time - b.time);
  for (const { time, step } of due) {
    mkdirs(sb.files, parentOf(step.path));
    sb.files.set(step.path, { type: "file", mode: 0o644, mtime: Math.floor(time / 1000), data: step.data, linkname: "" });
  }
}

function mkdirs(files: Map<string, Node>, dir: string): void {
  if (dir === "/") return;
  mkdirs(files, parentOf(dir));
  const n = files.get(dir);
  if (n?.type === "dir") return;
  files.set(dir, { type: "dir", mode: 0o755, mtime: Math.floor(Date.now() / 1000), data: new Uint8Array(0), linkname: "" });
}

function parentOf(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

/** Where a tar entry lands under `dest`; names that are absolute or climb out are refused. */
function entryPath(dest: string, name: string): string {
  const segs = name.split("/");
  if (name.startsWith("/") || segs.includes("..")) {
    throw new BackendError(400, "bad_request", `tar entry "${name}" would land outside ${dest}`);
  }
  return resolvePath(dest, name);
}

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BackendError(413, "payload_too_large", `archive is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
