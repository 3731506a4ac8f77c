// The Durable Object class behind every sandbox: the SDK's Sandbox with cct's egress rules on top.
// It keeps the exported name `Sandbox` (wrangler.jsonc binds that class name), so deployments made
// before egress existed need no migration.
//
// The rules are the base Container's own outbound interception (@cloudflare/containers):
// enableInternet=false cuts the container off, interceptHttps=true routes HTTPS through the
// Worker as well as HTTP, and the allowed hosts are the only ones the interceptor forwards; every
// other host is answered 520 by it. That interception needs `ContainerProxy` exported by the
// Worker (src/index.ts).

import { Sandbox as SdkSandbox } from "@cloudflare/sandbox";

/** Storage key of the policy, so that a restarted object or container comes back locked. */
export const EGRESS_KEY = "cct:egress";

export type LockedMode = "allowlist" | "none";

export interface StoredEgress {
  mode: string;
  hosts: unknown;
}

export class Sandbox<Env = unknown> extends SdkSandbox<Env> {
  constructor(ctx: DurableObjectState<{}>, env: Env) {
    super(ctx, env);
    // The object can be evicted and recreated while its container lives on, or before the
    // container restarts: the fields the base class reads at start must be locked again before
    // any request is let in.
    ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.get<StoredEgress>(EGRESS_KEY);
      if (stored === undefined || stored === null || stored.mode === "open") return;
      // Anything else stored (also a value this code does not know) stays locked: fail closed.
      const hosts = Array.isArray(stored.hosts) ? stored.hosts.filter((h): h is string => typeof h === "string") : [];
      this.lock(hosts);
      // A running container got its interception from the base constructor, which may have read
      // the unlocked fields; re-applying it with the locked ones costs one call.
      if (ctx.container?.running) await this.setAllowedHosts(hosts);
    });
  }

  /**
   * Locks the sandbox to `hosts` on HTTP and HTTPS. Must come before the container's first start:
   * enableInternet is read only then, so a running container would stay open.
   */
  async configureEgress(mode: LockedMode, hosts: string[]): Promise<void> {
    if (mode !== "allowlist" && mode !== "none") throw new Error(`unknown egress mode "${String(mode)}"`);
    if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === "string")) throw new Error("egress hosts must be strings");
    if (this.ctx.container?.running) throw new Error("egress rules must be set before the container starts");
    // Stored first: should anything below fail, a restart still comes back locked.
    await this.ctx.storage.put(EGRESS_KEY, { mode, hosts: [...hosts] } satisfies StoredEgress);
    this.lock(hosts);
    await this.setAllowedHosts(hosts);
  }

  private lock(hosts: string[]): void {
    this.enableInternet = false;
    this.interceptHttps = true;
    this.allowedHosts = [...hosts];
    // The base class adds this only when interceptHttps was set at construction; the runtime in
    // the container needs it to trust the interceptor's CA, or every HTTPS call fails.
    this.envVars = { ...this.envVars, SANDBOX_INTERCEPT_HTTPS: "1" };
  }
}
