// The seam between the HTTP layer (http.ts) and whatever runs the sandboxes.
// sdkBackend.ts implements it over @cloudflare/sandbox; stubBackend.ts in memory for local tests.

/** Labels are string-to-string, as in the contract. */
export type Labels = Record<string, string>;

export interface SandboxInfo {
  id: string;
  labels: Labels;
  /** ISO-8601 */
  createdAt: string;
}

export interface CreatedSandbox {
  id: string;
  home: string;
  user: string;
  workspaceRoot: string;
}

/**
 * Where a sandbox may connect to. `allowlist` and `none` are kept the same way (cct puts Claude's
 * API host on the list for both): HTTP and HTTPS to the listed hosts only, nothing else.
 * A host is a name or a `*.example.com` pattern.
 */
export type EgressMode = "open" | "allowlist" | "none";

export interface EgressPolicy {
  mode: EgressMode;
  hosts: string[];
}

export const OPEN_EGRESS: EgressPolicy = { mode: "open", hosts: [] };

export interface ExecRequest {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

export interface ExecStarted {
  execId: string;
  pid: number;
}

export interface ExecStatus {
  execId: string;
  running: boolean;
  exitCode: number | null;
}

/**
 * One numbered event of an exec. `seq` counts stdout, stderr, exit and error events from 1;
 * the backend owns the numbering so that a re-attach sees the same numbers.
 */
export type ExecEvent =
  | { seq: number; type: "stdout" | "stderr"; data: Uint8Array }
  | { seq: number; type: "exit"; exitCode: number }
  | { seq: number; type: "error"; code: string; message: string };

/** An error with a contract code and HTTP status; http.ts turns it into `{"code","message"}`. */
export class BackendError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "BackendError";
  }
}

/** One line, at most 500 characters, for a `message` field. */
export function errorMessage(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.replace(/\s+/g, " ").trim().slice(0, 500) || "unknown error";
}

export const notFound = (what: string) => new BackendError(404, "not_found", `${what} not found`);

export interface SandboxBackend {
  /** Version of the sandbox runtime behind this backend (the @cloudflare/sandbox version, or "stub"). */
  readonly sdkVersion: string;

  /** A policy other than open is in force before the sandbox runs anything, and stays so for its whole life. */
  create(labels: Labels, egress: EgressPolicy): Promise<CreatedSandbox>;
  list(): Promise<SandboxInfo[]>;
  /** Extracts the tar stream under `dest` (an absolute path, created if missing). */
  uploadTar(id: string, dest: string, tar: ReadableStream<Uint8Array>, maxBytes: number): Promise<void>;
  /** Starts a command; it keeps running when no one listens. */
  startExec(id: string, req: ExecRequest): Promise<ExecStarted>;
  /** pid of a known exec (for the `start` event of a re-attach). */
  execPid(id: string, execId: string): Promise<number>;
  /**
   * Events with `seq > after`, buffered ones first, then live ones, ending after `exit` or `error`.
   * Aborting `signal` stops listening; the command goes on.
   */
  events(id: string, execId: string, after: number, signal: AbortSignal): AsyncIterable<ExecEvent>;
  execStatus(id: string, execId: string): Promise<ExecStatus>;
  /** A tar of `path`, entry names relative to it; entries with any path segment in `exclude` are dropped. */
  downloadTar(id: string, path: string, exclude: string[]): Promise<ReadableStream<Uint8Array>>;
  /** Idempotent. */
  destroy(id: string): Promise<void>;
}
