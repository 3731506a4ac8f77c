// Which sandboxes exist, with their labels. Durable Objects cannot be enumerated, so one registry
// object (named "registry") keeps a row per sandbox; cct uses the list to find and reap orphans.

import { DurableObject } from "cloudflare:workers";
import type { Labels, SandboxInfo } from "./backend";

const PREFIX = "sandbox:";

export class SandboxRegistry extends DurableObject {
  async add(info: SandboxInfo): Promise<void> {
    await this.ctx.storage.put(PREFIX + info.id, info);
  }

  async has(id: string): Promise<boolean> {
    return (await this.ctx.storage.get(PREFIX + id)) !== undefined;
  }

  async remove(id: string): Promise<void> {
    await this.ctx.storage.delete(PREFIX + id);
  }

  async list(): Promise<SandboxInfo[]> {
    const rows = await this.ctx.storage.list<SandboxInfo>({ prefix: PREFIX });
    return [...rows.values()].map((r) => ({ id: r.id, labels: { ...r.labels } as Labels, createdAt: r.createdAt }));
  }
}
