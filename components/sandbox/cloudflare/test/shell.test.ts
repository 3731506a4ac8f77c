import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { shJoin, shQuote } from "../src/shell";

test("quoted words reach sh unchanged", () => {
  const words = ["plain", "a b", "it's", "$(echo no)", "`x`", "\\n", "*", "", "\"q\"", "é\nline"];
  const r = spawnSync("sh", ["-c", `printf '%s\\0' ${shJoin(words)}`], { encoding: "utf8" });
  assert.deepEqual(r.stdout.split("\0").slice(0, -1), words);
});

test("NUL is refused", () => {
  assert.throws(() => shQuote("a\0b"));
});
