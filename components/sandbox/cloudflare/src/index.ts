// The Worker's entry point: picks the backend and hands every request to the HTTP layer.
// BACKEND="stub" (wrangler.local.jsonc) serves the contract from memory for local tests;
// otherwise the Sandbox SDK backend runs real containers (wrangler.jsonc).

import type { SandboxBackend } from "./backend";
import { createHandler, type HttpEnv } from "./http";
import { cloudflarePlatform, SdkBackend, type SdkEnv } from "./sdkBackend";
import { StubBackend } from "./stubBackend";

export { Sandbox } from "./sandboxObject";
export { SandboxRegistry } from "./registry";
// The containers' outbound interception (egress rules) calls back into the Worker through this
// entrypoint; without the export every locked sandbox fails to start.
export { ContainerProxy } from "@cloudflare/sandbox";

interface Env extends HttpEnv, SdkEnv {
  BACKEND?: string;
}

// One stub per isolate: its sandboxes must outlive the request that created them.
let stub: StubBackend | undefined;

function backendFor(env: Env): SandboxBackend {
  if (env.BACKEND === "stub") return (stub ??= new StubBackend());
  return new SdkBackend(cloudflarePlatform(env));
}

export default createHandler<Env>(backendFor);
