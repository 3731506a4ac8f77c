// The exec event stream: Server-Sent Events with `id:` (the seq), `event:` and one-line JSON
// `data:`, heartbeats while idle, and an `error` event when the backend fails mid-stream.
// Event names and payloads are CONTRACT.md's "Exec event stream".

import { BackendError, errorMessage, type ExecEvent } from "./backend";
import { toBase64 } from "./base64";

export interface SseFrame {
  id: number;
  event: string;
  data: unknown;
}

const encoder = new TextEncoder();

export function frame(f: SseFrame): Uint8Array {
  return encoder.encode(`id: ${f.id}\nevent: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`);
}

function eventFrame(ev: ExecEvent): SseFrame {
  switch (ev.type) {
    case "stdout":
    case "stderr":
      return { id: ev.seq, event: ev.type, data: { seq: ev.seq, data: toBase64(ev.data) } };
    case "exit":
      return { id: ev.seq, event: "exit", data: { seq: ev.seq, exitCode: ev.exitCode } };
    case "error":
      return { id: ev.seq, event: "error", data: { seq: ev.seq, code: ev.code, message: ev.message } };
  }
}

const TICK = Symbol("tick");

/** A promise of TICK after `ms`, and a way to drop the timer when something else came first. */
function timeout(ms: number): { promise: Promise<typeof TICK>; cancel: () => void } {
  let cancel = () => {};
  const promise = new Promise<typeof TICK>((resolve) => {
    const timer = setTimeout(() => resolve(TICK), ms);
    cancel = () => clearTimeout(timer);
  });
  return { promise, cancel };
}

/**
 * Streams `first` (if any), then the events of `open` with seq > after, with a heartbeat whenever
 * nothing was sent for `hbMs`. The stream ends after exit or error. A client that goes away stops
 * the listening, not the command.
 */
export function sseResponse(
  first: SseFrame | null,
  open: (signal: AbortSignal) => AsyncIterable<ExecEvent>,
  after: number,
  hbMs: number,
): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const abort = new AbortController();

  const pump = async () => {
    let lastSeq = after;
    let iterator: AsyncIterator<ExecEvent> | null = null;
    try {
      if (first) await writer.write(frame(first));
      iterator = open(abort.signal)[Symbol.asyncIterator]();
      let pending: Promise<IteratorResult<ExecEvent>> | null = null;
      for (;;) {
        pending ??= iterator.next();
        const tick = timeout(hbMs);
        const r = await Promise.race([pending, tick.promise]);
        tick.cancel();
        if (r === TICK) {
          await writer.write(frame({ id: lastSeq, event: "heartbeat", data: {} }));
          continue;
        }
        pending = null;
        if (r.done) break;
        const ev = r.value;
        await writer.write(frame(eventFrame(ev)));
        lastSeq = ev.seq;
        if (ev.type === "exit" || ev.type === "error") break;
      }
      await writer.close();
    } catch (e) {
      if (abort.signal.aborted) return; // the client went away
      // The backend failed mid-stream: say so, then end the stream.
      const code = e instanceof BackendError ? e.code : "unavailable";
      try {
        await writer.write(frame({ id: lastSeq + 1, event: "error", data: { seq: lastSeq + 1, code, message: errorMessage(e) } }));
        await writer.close();
      } catch {
        // the client is gone too
      }
    } finally {
      abort.abort();
      if (iterator?.return) {
        iterator.return(undefined).catch(() => {});
      }
    }
  };
  // A failed write (client gone) rejects inside pump; make sure the listening stops.
  writer.closed.catch(() => abort.abort());
  pump().catch((e) => console.error("sse pump", e));

  return new Response(readable, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
