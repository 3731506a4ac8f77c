// The exec journal written by container/cct-exec.mjs: one JSON object per line, line 1 "start",
// then the events in order, so the event with seq k is line k + 1. This module turns the text of
// that file, read in arbitrary chunks, back into contract events.

import type { ExecEvent } from "./backend";
import { fromBase64 } from "./base64";

export type JournalLine =
  | { type: "start"; pid: number }
  | { type: "stdout" | "stderr"; data: string }
  | { type: "exit"; exitCode: number }
  | { type: "error"; code: string; message: string };

export function parseLine(line: string): JournalLine {
  return JSON.parse(line) as JournalLine;
}

/** The journal line to start reading at (1-based, for `tail -n +N`) to get events with seq > after. */
export function firstLineAfter(after: number): number {
  return after + 2;
}

/**
 * Reassembles lines from chunks and numbers the events, starting after `seq`. Only complete lines
 * count: a line cut by a lost stream is read again, whole, by the next `tail`.
 */
export class JournalReader {
  private partial = "";

  constructor(private seq: number) {}

  /** The last seq handed out. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Events completed by this chunk. */
  push(chunk: string): ExecEvent[] {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop()!;
    const out: ExecEvent[] = [];
    for (const line of lines) {
      if (line.trim() === "") continue;
      const ev = toEvent(parseLine(line), this.seq + 1);
      if (ev) {
        this.seq = ev.seq;
        out.push(ev);
      }
    }
    return out;
  }

  /** Forgets a half line, before reading on from `lastSeq` with a fresh tail. */
  reset(): void {
    this.partial = "";
  }
}

function toEvent(line: JournalLine, seq: number): ExecEvent | null {
  switch (line.type) {
    case "stdout":
    case "stderr":
      return { seq, type: line.type, data: fromBase64(line.data) };
    case "exit":
      return { seq, type: "exit", exitCode: line.exitCode };
    case "error":
      return { seq, type: "error", code: line.code, message: line.message };
    case "start":
      return null;
  }
}
