import assert from "node:assert/strict";
import { test } from "node:test";
import { readTar, writeTar, type TarEntry } from "../src/tar";

const enc = new TextEncoder();
const file = (name: string, text: string): TarEntry => ({ name, type: "file", mode: 0o644, mtime: 1700000000, data: enc.encode(text), linkname: "" });

test("tar round trip keeps names, types, modes and bytes", () => {
  const long = "d/" + "x".repeat(150) + ".txt";
  const entries: TarEntry[] = [
    { name: "d/", type: "dir", mode: 0o755, mtime: 1700000000, data: new Uint8Array(0), linkname: "" },
    file("d/a.txt", "hello\n"),
    { ...file(long, ""), data: Uint8Array.from([0, 255, 10, 13]) },
    { name: "d/link", type: "symlink", mode: 0o777, mtime: 1700000000, data: new Uint8Array(0), linkname: "a.txt" },
  ];
  const back = readTar(writeTar(entries));
  assert.deepEqual(back, entries);
});

test("a corrupted header is refused", () => {
  const bytes = writeTar([file("a", "x")]);
  bytes[0] = "b".charCodeAt(0);
  assert.throws(() => readTar(bytes), /checksum/);
});

test("an archive that ends inside a file is refused", () => {
  const bytes = writeTar([file("a", "x".repeat(2000))]);
  assert.throws(() => readTar(bytes.subarray(0, 1024)), /truncated/);
});

test("bytes that are not a tar archive are refused, an empty body is an empty archive", () => {
  assert.throws(() => readTar(new TextEncoder().encode("notatar")), /truncated/);
  assert.deepEqual(readTar(new Uint8Array(0)), []);
});
