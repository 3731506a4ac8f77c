// The stub backend's command interpreter. It never runs a process: it turns an exec request into a
// timeline of output, file writes and a final exit (or error), computed once when the exec starts.
// Because the timeline is pure data, the stub needs no background work: whoever streams the exec
// just waits for each event's due time. The command set is documented in CONTRACT.md
// ("Stub backend commands") and at the top of stubBackend.ts.

/** One step of a timeline; `at` is milliseconds after the exec started. */
export type Step =
  | { at: number; kind: "stdout" | "stderr"; data: Uint8Array }
  /** `data` is the file's whole new content. */
  | { at: number; kind: "write"; path: string; data: Uint8Array }
  | { at: number; kind: "exit"; exitCode: number }
  | { at: number; kind: "error"; code: string; message: string };

export interface ScriptInput {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Bytes of a regular file in the sandbox at start time, or undefined. */
  readFile(path: string): Uint8Array | undefined;
}

const enc = new TextEncoder();

type Token = { op: null; word: string } | { op: ";" | "&&" | ">" | ">>" | ">&2"; word: "" };

interface Command {
  words: string[];
  /** How the command is joined to the previous one. */
  join: ";" | "&&";
  redirect: { kind: ">&2" } | { kind: ">" | ">>"; path: string } | null;
}

/** Splits a script into words and operators: blanks separate words, quotes group them, no expansion. */
export function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let word: string | null = null;
  const flush = () => {
    if (word !== null) tokens.push({ op: null, word });
    word = null;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'" || c === '"') {
      const end = script.indexOf(c, i + 1);
      if (end < 0) throw new ScriptError(`unterminated ${c} quote`);
      word = (word ?? "") + script.slice(i + 1, end);
      i = end;
    } else if (c === " " || c === "\t") {
      flush();
    } else if (c === ";" || c === "\n") {
      flush();
      tokens.push({ op: ";", word: "" });
    } else if (c === "&" && script[i + 1] === "&") {
      flush();
      tokens.push({ op: "&&", word: "" });
      i++;
    } else if (c === ">") {
      flush();
      if (script.startsWith(">&2", i)) {
        tokens.push({ op: ">&2", word: "" });
        i += 2;
      } else if (script[i + 1] === ">") {
        tokens.push({ op: ">>", word: "" });
        i++;
      } else {
        tokens.push({ op: ">", word: "" });
      }
    } else {
      word = (word ?? "") + c;
    }
  }
  flush();
  return tokens;
}

function parse(tokens: Token[]): Command[] {
  const commands: Command[] = [];
  let current: Command = { words: [], join: ";", redirect: null };
  const end = (next: ";" | "&&") => {
    if (current.words.length > 0) commands.push(current);
    else if (next === "&&" || current.redirect) throw new ScriptError("syntax error near an empty command");
    current = { words: [], join: next, redirect: null };
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.op === null) {
      if (current.redirect) throw new ScriptError("only one redirection, at the end of a command");
      current.words.push(t.word);
    } else if (t.op === ";" || t.op === "&&") {
      end(t.op);
    } else if (t.op === ">&2") {
      current.redirect = { kind: ">&2" };
    } else {
      const target = tokens[i + 1];
      if (!target || target.op !== null) throw new ScriptError(`${t.op} needs a file name`);
      current.redirect = { kind: t.op, path: target.word };
      i++;
    }
  }
  end(";");
  return commands;
}

export class ScriptError extends Error {}

/** Reads argv as the stub does: `sh -c SCRIPT` is a script, anything else one command. */
function commandsOf(argv: string[]): Command[] {
  const [cmd, flag, script] = argv;
  const shell = baseName(cmd ?? "");
  if ((shell === "sh" || shell === "bash") && (flag === "-c" || flag === "-lc") && script !== undefined) {
    return parse(tokenize(script));
  }
  return [{ words: [...argv], join: ";", redirect: null }];
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** Resolves `p` against `cwd` into a normalized absolute path. */
export function resolvePath(cwd: string, p: string): string {
  const parts: string[] = [];
  for (const seg of (p.startsWith("/") ? p : `${cwd}/${p}`).split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

/** `printf` with `%s`, `%%` and the escapes `\n \t \\ \xHH`; `\xHH` is one raw byte, the rest UTF-8. */
export function printf(format: string, args: string[]): Uint8Array {
  const bytes: number[] = [];
  const text = (s: string) => bytes.push(...enc.encode(s));
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    const n = format[i + 1];
    if (c === "%" && n === "s") {
      text(args[next++] ?? "");
      i++;
    } else if (c === "%" && n === "%") {
      text("%");
      i++;
    } else if (c === "\\" && n === "x" && /^[0-9a-fA-F]{2}$/.test(format.slice(i + 2, i + 4))) {
      bytes.push(parseInt(format.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (c === "\\" && (n === "n" || n === "t" || n === "\\")) {
      text(n === "n" ? "\n" : n === "t" ? "\t" : "\\");
      i++;
    } else {
      // Keep surrogate pairs together: encode whole code points.
      const cp = format.codePointAt(i)!;
      text(String.fromCodePoint(cp));
      if (cp > 0xffff) i++;
    }
  }
  return Uint8Array.from(bytes);
}

/** Computes the timeline of an exec. The last step is always `exit` or `error`. */
export function simulate(input: ScriptInput): Step[] {
  const steps: Step[] = [];
  let t = 0;
  let cwd = input.cwd;
  const written = new Map<string, Uint8Array>();
  const read = (path: string) => written.get(path) ?? input.readFile(path);

  let commands: Command[];
  try {
    commands = commandsOf(input.argv);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [
      { at: 0, kind: "stderr", data: enc.encode(`sh: ${message}\n`) },
      { at: 0, kind: "exit", exitCode: 2 },
    ];
  }

  let status = 0;
  for (const cmd of commands) {
    if (cmd.join === "&&" && status !== 0) continue;
    const out = (kind: "stdout" | "stderr", data: Uint8Array) => {
      if (kind === "stdout" && cmd.redirect?.kind === ">&2") kind = "stderr";
      if (kind === "stdout" && cmd.redirect && cmd.redirect.kind !== ">&2") {
        const path = resolvePath(cwd, cmd.redirect.path);
        // The file was truncated or created before the command ran (below): append to it.
        const joined = concat(read(path) ?? new Uint8Array(0), data);
        written.set(path, joined);
        steps.push({ at: t, kind: "write", path, data: joined });
        return;
      }
      steps.push({ at: t, kind, data });
    };
    if (cmd.redirect && cmd.redirect.kind !== ">&2") {
      // `> FILE` truncates even when the command writes nothing.
      const path = resolvePath(cwd, cmd.redirect.path);
      if (cmd.redirect.kind === ">") {
        written.set(path, new Uint8Array(0));
        steps.push({ at: t, kind: "write", path, data: new Uint8Array(0) });
      } else if (!written.has(path) && read(path) === undefined) {
        written.set(path, new Uint8Array(0));
        steps.push({ at: t, kind: "write", path, data: new Uint8Array(0) });
      }
    }

    const [name0, ...args] = cmd.words;
    const name = baseName(name0!);
    switch (name) {
      case "echo":
      case "echoerr": {
        const noNewline = args[0] === "-n";
        const text = (noNewline ? args.slice(1) : args).join(" ") + (noNewline ? "" : "\n");
        out(name === "echo" ? "stdout" : "stderr", enc.encode(text));
        status = 0;
        break;
      }
      case "printf":
        if (args.length === 0) {
          out("stderr", enc.encode("printf: usage: printf FORMAT [ARG...]\n"));
          status = 2;
        } else {
          out("stdout", printf(args[0]!, args.slice(1)));
          status = 0;
        }
        break;
      case "sleep": {
        const secs = Number(args[0]);
        if (args.length !== 1 || !Number.isFinite(secs) || secs < 0) {
          out("stderr", enc.encode(`sleep: invalid time interval '${args[0] ?? ""}'\n`));
          status = 1;
        } else {
          t += Math.round(secs * 1000);
          status = 0;
        }
        break;
      }
      case "exit": {
        const code = args.length === 0 ? status : Number(args[0]);
        steps.push({ at: t, kind: "exit", exitCode: Number.isInteger(code) ? code & 0xff : 2 });
        return steps;
      }
      case "true":
        status = 0;
        break;
      case "false":
        status = 1;
        break;
      case "cat":
        status = 0;
        for (const f of args) {
          const data = read(resolvePath(cwd, f));
          if (data === undefined) {
            out("stderr", enc.encode(`cat: ${f}: No such file or directory\n`));
            status = 1;
          } else {
            out("stdout", data);
          }
        }
        break;
      case "chunks": {
        const n = Number(args[0]);
        const delay = args[1] === undefined ? 0 : Number(args[1]);
        if (!Number.isInteger(n) || n < 0 || !Number.isInteger(delay) || delay < 0) {
          out("stderr", enc.encode("chunks: usage: chunks N [DELAY_MS]\n"));
          status = 2;
          break;
        }
        for (let k = 1; k <= n; k++) {
          if (k > 1) t += delay;
          out("stdout", enc.encode(`chunk ${k}\n`));
        }
        status = 0;
        break;
      }
      case "pwd":
        out("stdout", enc.encode(cwd + "\n"));
        status = 0;
        break;
      case "cd":
        cwd = resolvePath(cwd, args[0] ?? "/");
        status = 0;
        break;
      case "env": {
        const lines = Object.keys(input.env)
          .sort()
          .map((k) => `${k}=${input.env[k]}\n`)
          .join("");
        out("stdout", enc.encode(lines));
        status = 0;
        break;
      }
      case "write": {
        if (args.length === 0) {
          out("stderr", enc.encode("write: usage: write FILE TEXT...\n"));
          status = 2;
          break;
        }
        const path = resolvePath(cwd, args[0]!);
        const data = enc.encode(args.slice(1).join(" "));
        written.set(path, data);
        steps.push({ at: t, kind: "write", path, data });
        status = 0;
        break;
      }
      case "stub-error":
        steps.push({ at: t, kind: "error", code: args[0] ?? "internal", message: args.slice(1).join(" ") || "stub error" });
        return steps;
      default:
        out("stderr", enc.encode(`stub: ${name}: command not found\n`));
        status = 127;
    }
  }
  steps.push({ at: t, kind: "exit", exitCode: status });
  return steps;
}

/** Cuts a timeline at `timeoutMs`: what is due later is dropped and the exec exits 124 at the deadline. */
export function applyTimeout(steps: Step[], timeoutMs: number | undefined): Step[] {
  const last = steps[steps.length - 1]!;
  if (timeoutMs === undefined || last.at <= timeoutMs) return steps;
  return [...steps.filter((s) => s.at <= timeoutMs && s.kind !== "exit" && s.kind !== "error"), { at: timeoutMs, kind: "exit", exitCode: 124 }];
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
