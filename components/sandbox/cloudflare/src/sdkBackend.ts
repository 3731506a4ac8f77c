// The SandboxBackend over Cloudflare's Sandbox SDK. With sandboxObject.ts (the Durable Object
// class) it is the only code that calls @cloudflare/sandbox, so moving to SDK 1.x means rewriting
// these two files and nothing else.
//
// How the contract maps onto SDK 0.12:
// - A sandbox is `getSandbox(env.Sandbox, id)` (a Durable Object with its container); its labels
//   live in the SandboxRegistry object, because Durable Objects cannot be listed.
// - An exec is a background process running container/cct-exec.mjs, which spawns argv as the
//   non-root user `cct` and appends every output chunk and the exit status to a journal file in
//   the container (journal.ts). Streaming reads it with `tail -F` from the wanted line, so event
//   numbers (seq) are stable and a re-attach gets exactly what it missed. The SDK's own
//   streamProcessLogs cannot do that: it replays all stdout, then all stderr, as two blobs.
// - Archives: GNU tar in the container, the tar file moved with writeFile / readFileStream.
// - Egress: an allowlist or none is handed to the sandbox object (configureEgress) before the
//   command that starts its container, because the container reads it only when it starts.

import {
  getSandbox,
  parseSSEStream,
  streamFile,
  type ExecEvent as SdkExecEvent,
} from "@cloudflare/sandbox";
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
import { firstLineAfter, JournalReader, parseLine, type JournalLine } from "./journal";
import type { SandboxRegistry } from "./registry";
import type { Sandbox } from "./sandboxObject";
import { shJoin, shQuote } from "./shell";

/** Keep equal to the exact version in package.json and the Dockerfile's FROM tag (a unit test checks). */
export const SDK_VERSION = "0.12.10";

/** Where things are in the container; DEFAULT_LAYOUT is what the Dockerfile lays down. */
export interface Layout {
  runner: string;
  user: string;
  home: string;
  workspace: string;
  /** Root-only scratch space: exec journals and archives in transit. */
  tmp: string;
}

export const DEFAULT_LAYOUT: Layout = {
  runner: "/opt/cct/cct-exec.mjs",
  user: "cct",
  home: "/home/cct",
  workspace: "/workspace",
  tmp: "/tmp/cct",
};

/** How many tails in a row may end early, without output, before the exec is declared lost. */
const REATTACH_ATTEMPTS = 5;
/** A tail that lasted this long was cut, it did not fail. */
const HEALTHY_TAIL_MS = 30_000;
const REATTACH_DELAY_MS = 1000;
/** Bounds the internal helper commands (tar, head, ...), not the user's exec. */
const HELPER_TIMEOUT_MS = 10 * 60 * 1000;

export interface SdkEnv {
  Sandbox?: DurableObjectNamespace<Sandbox>;
  REGISTRY?: DurableObjectNamespace<SandboxRegistry>;
  /** How long an idle container lives before it sleeps (and loses its files); default "30m". */
  SANDBOX_SLEEP_AFTER?: string;
}

/** The part of the SDK's sandbox handle this backend uses. */
export type SandboxHandle = Pick<
  Sandbox,
  "exec" | "execStream" | "startProcess" | "writeFile" | "readFileStream" | "mkdir" | "destroy" | "configureEgress"
>;

/** The part of the registry this backend uses. */
export type RegistryHandle = Pick<SandboxRegistry, "add" | "has" | "remove" | "list">;

/** What the backend runs on: sandboxes and the registry (from the Worker's bindings, or a test's fakes). */
export interface Platform {
  sandbox(id: string): SandboxHandle;
  registry(): RegistryHandle;
  layout: Layout;
}

/** The platform of a deployed Worker: its Durable Object bindings. */
export function cloudflarePlatform(env: SdkEnv): Platform {
  return {
    sandbox(id) {
      if (!env.Sandbox) throw new BackendError(503, "unavailable", "the Worker has no Sandbox binding (see wrangler.jsonc)");
      return getSandbox(env.Sandbox, id, {
        keepAlive: false,
        sleepAfter: env.SANDBOX_SLEEP_AFTER || "30m",
        // Commands must not queue behind each other in one shell: a tail follows an exec's
        // journal for as long as it runs while other calls come and go.
        enableDefaultSession: false,
      });
    },
    registry() {
      const ns = env.REGISTRY;
      if (!ns) throw new BackendError(503, "unavailable", "the Worker has no REGISTRY binding (see wrangler.jsonc)");
      return ns.get(ns.idFromName("registry"));
    },
    layout: DEFAULT_LAYOUT,
  };
}

export class SdkBackend implements SandboxBackend {
  readonly sdkVersion = SDK_VERSION;
  private readonly layout: Layout;
  private readonly execRoot: string;

  constructor(private readonly platform: Platform) {
    this.layout = platform.layout;
    this.execRoot = `${platform.layout.tmp}/exec`;
  }

  async create(labels: Labels, egress: EgressPolicy): Promise<CreatedSandbox> {
    const id = crypto.randomUUID();
    await this.registry().add({ id, labels, createdAt: new Date().toISOString() });
    try {
      // Open sends nothing: the object keeps the SDK's defaults, as before egress existed.
      if (egress.mode !== "open") await this.sandbox(id).configureEgress(egress.mode, egress.hosts);
      // Starts the container now, so a sandbox that cannot start fails here and not mid-run.
      await this.run(id, `mkdir -p ${shQuote(this.execRoot)} && chmod 700 ${shQuote(this.layout.tmp)}`);
    } catch (e) {
      await this.destroy(id).catch(() => {});
      throw unavailable(e);
    }
    return { id, home: this.layout.home, user: this.layout.user, workspaceRoot: this.layout.workspace };
  }

  async list(): Promise<SandboxInfo[]> {
    return this.registry().list();
  }

  async uploadTar(id: string, dest: string, tar: ReadableStream<Uint8Array>, maxBytes: number): Promise<void> {
    await this.known(id);
    const sandbox = this.sandbox(id);
    const file = `${this.layout.tmp}/upload-${crypto.randomUUID()}.tar`;
    await sandbox.writeFile(file, tar.pipeThrough(limit(maxBytes)));
    const d = shQuote(dest);
    // GNU tar refuses members that climb out with "..", and strips a leading "/".
    const result = await sandbox.exec(
      `mkdir -p ${d} && tar -x -f ${shQuote(file)} -C ${d} --no-same-owner && chown -R ${shQuote(`${this.layout.user}:`)} ${d}; rc=$?; rm -f ${shQuote(file)}; exit $rc`,
      { timeout: HELPER_TIMEOUT_MS },
    );
    if (result.exitCode !== 0) {
      throw new BackendError(400, "bad_request", `could not extract the archive: ${result.stderr.trim().slice(0, 300)}`);
    }
  }

  async startExec(id: string, req: ExecRequest): Promise<ExecStarted> {
    await this.known(id);
    const sandbox = this.sandbox(id);
    const execId = crypto.randomUUID();
    const dir = `${this.execRoot}/${execId}`;
    await sandbox.mkdir(dir, { recursive: true });
    const spec = { argv: req.argv, env: req.env ?? {}, cwd: req.cwd ?? this.layout.workspace, timeoutMs: req.timeoutMs ?? null, user: this.layout.user };
    await sandbox.writeFile(`${dir}/request.json`, JSON.stringify(spec));
    // The runner enforces timeoutMs itself (exit 124); the SDK's timeout is only a backstop so
    // the image's default command timeout does not cut a long Claude run short.
    const backstop = (req.timeoutMs ?? 7 * 24 * 3600 * 1000) + 60_000;
    await sandbox.startProcess(shJoin(["node", this.layout.runner, dir]), { processId: execId, timeout: backstop });
    for (let i = 0; i < 50; i++) {
      const first = await this.journalLine(id, execId, "head");
      if (first?.type === "start") return { execId, pid: first.pid };
      await sleep(200);
    }
    throw new BackendError(503, "unavailable", "the command runner did not start within 10 s");
  }

  async execPid(id: string, execId: string): Promise<number> {
    const first = await this.journalLine(id, execId, "head");
    if (first?.type !== "start") throw notFound(`exec ${execId}`);
    return first.pid;
  }

  async *events(id: string, execId: string, after: number, signal: AbortSignal): AsyncIterable<ExecEvent> {
    const sandbox = this.sandbox(id);
    const journal = `${this.execRoot}/${execId}/events.ndjson`;
    const reader = new JournalReader(after);
    let failures = 0;
    let lastError: unknown = new Error("lost the command's output stream");
    while (!signal.aborted) {
      reader.reset();
      const openedAt = Date.now();
      const cmd = `exec tail -n +${firstLineAfter(reader.lastSeq)} -F ${shQuote(journal)} 2>/dev/null`;
      try {
        // No `signal` in the options: it cannot cross the RPC boundary to the Sandbox object.
        // Aborting parseSSEStream cancels the stream instead, and that reaches the container.
        const stream = await sandbox.execStream(cmd, { timeout: HELPER_TIMEOUT_MS });
        for await (const ev of parseSSEStream<SdkExecEvent>(stream, signal)) {
          if (ev.type !== "stdout" || !ev.data) continue;
          failures = 0;
          for (const out of reader.push(ev.data)) {
            yield out;
            if (out.type === "exit" || out.type === "error") return;
          }
        }
      } catch (e) {
        if (signal.aborted) return;
        lastError = e;
      }
      // The tail ended without the exit line: a cut idle stream or the helper timeout during a
      // long silent command (normal: follow on), or a lost container (it keeps failing fast).
      if (Date.now() - openedAt >= HEALTHY_TAIL_MS) failures = 0;
      if (++failures >= REATTACH_ATTEMPTS) throw unavailable(lastError);
      await sleep(REATTACH_DELAY_MS);
    }
  }

  async execStatus(id: string, execId: string): Promise<ExecStatus> {
    await this.execPid(id, execId);
    const last = await this.journalLine(id, execId, "tail");
    if (last?.type === "exit") return { execId, running: false, exitCode: last.exitCode };
    if (last?.type === "error") return { execId, running: false, exitCode: null };
    return { execId, running: true, exitCode: null };
  }

  async downloadTar(id: string, path: string, exclude: string[]): Promise<ReadableStream<Uint8Array>> {
    await this.known(id);
    const sandbox = this.sandbox(id);
    const file = `${this.layout.tmp}/download-${crypto.randomUUID()}.tar`;
    // --no-wildcards: an excluded name is literal; unanchored (tar's default for --exclude), it
    // matches that name as any path segment, as the contract says.
    const excludes = exclude.map((name) => `--exclude=${shQuote(name)}`).join(" ");
    const result = await sandbox.exec(
      `test -d ${shQuote(path)} || exit 3; tar -c -f ${shQuote(file)} -C ${shQuote(path)} --no-wildcards ${excludes} .`,
      { timeout: HELPER_TIMEOUT_MS },
    );
    if (result.exitCode === 3) throw notFound(`directory ${path}`);
    // GNU tar exits 1 when a file changed while being read; the archive is still complete.
    if (result.exitCode !== 0 && result.exitCode !== 1) {
      throw new BackendError(500, "internal", `tar failed: ${result.stderr.trim().slice(0, 300)}`);
    }
    const chunks = streamFile(await sandbox.readFileStream(file));
    const enc = new TextEncoder();
    const cleanup = () => sandbox.exec(`rm -f ${shQuote(file)}`).catch(() => {});
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await chunks.next();
          if (done) {
            controller.close();
            await cleanup();
          } else {
            controller.enqueue(typeof value === "string" ? enc.encode(value) : value);
          }
        } catch (e) {
          controller.error(e);
          await cleanup();
        }
      },
      async cancel() {
        await cleanup();
      },
    });
  }

  async destroy(id: string): Promise<void> {
    await this.sandbox(id).destroy();
    await this.registry().remove(id);
  }

  private sandbox(id: string): SandboxHandle {
    return this.platform.sandbox(id);
  }

  private registry(): RegistryHandle {
    return this.platform.registry();
  }

  /** 404 for a sandbox this Worker did not create (or already destroyed), before touching the SDK. */
  private async known(id: string): Promise<void> {
    if (!(await this.registry().has(id))) throw notFound(`sandbox ${id}`);
  }

  private async run(id: string, cmd: string): Promise<string> {
    const r = await this.sandbox(id).exec(cmd, { timeout: HELPER_TIMEOUT_MS });
    if (r.exitCode !== 0) throw new Error(`${cmd}: exit ${r.exitCode}: ${r.stderr.trim().slice(0, 300)}`);
    return r.stdout;
  }

  /** The first or last line of an exec's journal, or null when there is none (yet). */
  private async journalLine(id: string, execId: string, which: "head" | "tail"): Promise<JournalLine | null> {
    await this.known(id);
    const journal = `${this.execRoot}/${execId}/events.ndjson`;
    const r = await this.sandbox(id).exec(`${which} -n 1 ${shQuote(journal)}`, { timeout: HELPER_TIMEOUT_MS });
    if (r.exitCode !== 0) {
      const dirExists = await this.sandbox(id).exec(`test -d ${shQuote(`${this.execRoot}/${execId}`)}`);
      if (dirExists.exitCode !== 0) throw notFound(`exec ${execId}`);
      return null;
    }
    const line = r.stdout.trim();
    return line === "" ? null : parseLine(line);
  }
}

/** Errors the stream once more than `max` bytes went through. */
function limit(max: number): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.length;
      if (total > max) controller.error(new BackendError(413, "payload_too_large", `archive is larger than ${max} bytes`));
      else controller.enqueue(chunk);
    },
  });
}

function unavailable(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  return new BackendError(503, "unavailable", e instanceof Error ? e.message : String(e));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
