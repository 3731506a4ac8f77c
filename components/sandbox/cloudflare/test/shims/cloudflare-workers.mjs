// Stand-in for the Workers runtime module `cloudflare:workers`, so unit tests can load modules that
// import the Sandbox SDK under Node. Only what the SDK touches while being imported and used
// through a test's fake platform; nothing here runs in the Worker.
export class RpcTarget {}
export class WorkerEntrypoint {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}
export class DurableObject extends WorkerEntrypoint {}
export const tracing = { enterSpan: (_name, fn, ...args) => fn({ setAttribute() {}, end() {} }, ...args) };
export const env = {};
