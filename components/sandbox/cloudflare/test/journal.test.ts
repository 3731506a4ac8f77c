import assert from "node:assert/strict";
import { test } from "node:test";
import { firstLineAfter, JournalReader } from "../src/journal";

const journal = [
  `{"type":"start","pid":42}`,
  `{"type":"stdout","data":"${Buffer.from("héllo").toString("base64")}"}`,
  `{"type":"stderr","data":"${Buffer.from([0, 255]).toString("base64")}"}`,
  `{"type":"exit","exitCode":3}`,
].join("\n") + "\n";

test("lines split across chunks become numbered events", () => {
  const r = new JournalReader(0);
  const events = [];
  for (let i = 0; i < journal.length; i += 7) events.push(...r.push(journal.slice(i, i + 7)));
  assert.deepEqual(
    events.map((e) => [e.seq, e.type]),
    [[1, "stdout"], [2, "stderr"], [3, "exit"]],
  );
  assert.equal(Buffer.from((events[0] as { data: Uint8Array }).data).toString(), "héllo");
  assert.deepEqual([...(events[1] as { data: Uint8Array }).data], [0, 255]);
});

test("a re-read starts at the line after the last seq, and a half line is dropped", () => {
  assert.equal(firstLineAfter(0), 2); // line 1 is start
  const r = new JournalReader(1);
  const lines = journal.split("\n");
  assert.deepEqual(r.push(lines[2]! + "\n" + lines[3]!.slice(0, 5)).map((e) => e.seq), [2]);
  r.reset();
  assert.deepEqual(r.push(lines[3]! + "\n").map((e) => [e.seq, e.type]), [[3, "exit"]]);
});
