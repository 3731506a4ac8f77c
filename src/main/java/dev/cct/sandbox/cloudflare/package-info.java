/**
 * The {@code cloudflare} provider: a client of cct's own Worker (components/sandbox/cloudflare, contract in its
 * CONTRACT.md), which drives Cloudflare Sandbox containers for it.
 *
 * <ul>
 *   <li>{@link dev.cct.sandbox.cloudflare.CloudflareProvider} and {@code CloudflareSandbox}: the provider
 *       primitives (health, create, one-PUT upload, exec, one-GET download, delete, list).</li>
 *   <li>{@code WorkerApi}: one method per route; {@code WorkerRetries}: its part of the shared retry rules
 *       (only a server fault is retried, and only for an idempotent call); {@code CloudflareErrors}: one-line messages naming the fix.</li>
 *   <li>{@code EventStream}, {@code SseReader}, {@code ExecEvent}: the exec event stream, read off OkHttp's thread
 *       so that the caller stays interruptible and can time out a silent stream; {@code ExecFollower}: follows a
 *       command across lost streams by re-attaching after the last {@code seq} it delivered.</li>
 *   <li>{@link dev.cct.sandbox.cloudflare.WorkerDeployer} and {@link dev.cct.sandbox.cloudflare.WorkerProject}:
 *       {@code cct cloudflare deploy}.</li>
 * </ul>
 * The bearer token lives in {@code WorkerConfig} only; no message, toString or command line carries it.
 */
package dev.cct.sandbox.cloudflare;
