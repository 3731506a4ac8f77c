// The SDK version appears in four places that must agree: package.json, the lock file,
// sdkBackend.ts (reported by /health) and the Dockerfile's FROM tag (the container runtime must
// speak the same protocol as the SDK in the Worker).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const dir = process.env["CCT_WORKER_DIR"]!;
const read = (p: string) => readFileSync(join(dir, p), "utf8");

test("one exact @cloudflare/sandbox version everywhere", () => {
  const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const version = pkg.dependencies["@cloudflare/sandbox"]!;
  assert.match(version, /^0\.12\.\d+$/);
  const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { version: string }> };
  assert.equal(lock.packages["node_modules/@cloudflare/sandbox"]!.version, version);
  assert.match(read("src/sdkBackend.ts"), new RegExp(`SDK_VERSION = "${version.replace(/\./g, "\\.")}"`));
  assert.match(read("Dockerfile"), new RegExp(`^FROM docker\\.io/cloudflare/sandbox:${version.replace(/\./g, "\\.")}$`, "m"));
  for (const v of Object.values(pkg.devDependencies)) assert.match(v, /^\d+\.\d+\.\d+$/, "dev dependencies are pinned exactly");
});

test("Claude Code is pinned exactly in the image", () => {
  assert.match(read("Dockerfile"), /^ARG CLAUDE_CODE_VERSION=\d+\.\d+\.\d+$/m);
});
