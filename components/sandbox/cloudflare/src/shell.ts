// The Sandbox SDK 0.12 takes commands as shell strings. Everything the Worker puts into one goes
// through `sh` quoting here; user argv never does (it travels as JSON to container/cct-exec.mjs).

/** Quotes one word for POSIX sh: inside single quotes nothing is special except `'` itself. */
export function shQuote(word: string): string {
  if (word.includes("\0")) throw new Error("NUL cannot be passed to a shell");
  return "'" + word.replace(/'/g, `'\\''`) + "'";
}

/** A command line of quoted words. */
export function shJoin(words: string[]): string {
  return words.map(shQuote).join(" ");
}
