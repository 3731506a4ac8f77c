// Runs the unit tests (test/*.test.ts) with node --test, offline: esbuild (installed with
// wrangler) bundles each test with the modules it imports, since Node 20 cannot run TypeScript.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const tests = readdirSync(here).filter((f) => f.endsWith(".test.ts")).map((f) => join(here, f));
const out = mkdtempSync(join(tmpdir(), "cct-worker-tests-"));
try {
  // `cloudflare:workers` exists only in the Workers runtime; tests get a stand-in.
  const workersShim = {
    name: "cloudflare-workers-shim",
    setup(b) {
      b.onResolve({ filter: /^cloudflare:workers$/ }, () => ({ path: join(here, "shims", "cloudflare-workers.mjs") }));
    },
  };
  await build({ entryPoints: tests, outdir: out, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning", plugins: [workersShim] });
  const files = readdirSync(out).filter((f) => f.endsWith(".js")).map((f) => join(out, f));
  const r = spawnSync(process.execPath, ["--test", ...files], { stdio: "inherit", env: { ...process.env, CCT_WORKER_DIR: join(here, "..") } });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
