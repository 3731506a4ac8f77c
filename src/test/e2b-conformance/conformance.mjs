// Drives a (fake) E2B through the official JS SDK's public API only, to prove the fake speaks the
// protocol the SDK expects. Reads E2B_API_URL, E2B_SANDBOX_URL and E2B_API_KEY from the environment.
// Prints one TAP-like line per step ("ok - step" / "not ok - step: reason"); exits 1 if any failed.
import { createHash, randomBytes } from 'node:crypto'
import {
  ALL_TRAFFIC,
  Sandbox,
  CommandExitError,
  FileNotFoundError,
  NotFoundError,
  SandboxNotFoundError,
  TimeoutError,
} from 'e2b'

for (const name of ['E2B_API_URL', 'E2B_SANDBOX_URL', 'E2B_API_KEY']) {
  if (!process.env[name]) {
    console.error(`conformance: ${name} is not set`)
    process.exit(2)
  }
}

const RUN = `conformance-${Date.now()}-${process.pid}`
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
let failures = 0
const cleanup = []

async function step(name, fn) {
  try {
    await fn()
    console.log(`ok - ${name}`)
  } catch (err) {
    failures++
    const reason = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)
    console.log(`not ok - ${name}: ${reason.split('\n')[0]}`)
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message)
}

/** Runs fn, which must throw an instance of errorClass; returns the error. */
async function expectError(errorClass, fn) {
  try {
    await fn()
  } catch (err) {
    check(err instanceof errorClass,
      `expected ${errorClass.name}, got ${err?.constructor?.name}: ${err?.message}`)
    return err
  }
  throw new Error(`expected ${errorClass.name}, but the call succeeded`)
}

let sbx
let other

await step('Sandbox.create with metadata, envs and a timeout', async () => {
  sbx = await Sandbox.create('base', {
    metadata: { suite: 'conformance', run: RUN },
    envs: { CONF_ENV: 'hello from create' },
    timeoutMs: 120_000,
  })
  cleanup.push(sbx)
  check(/^i[a-z0-9]{20}$/.test(sbx.sandboxId), `odd sandbox id ${sbx.sandboxId}`)
  const info = await sbx.getInfo()
  check(info.metadata.run === RUN, `metadata not kept: ${JSON.stringify(info.metadata)}`)
  const left = info.endAt.getTime() - Date.now()
  check(left > 100_000 && left <= 121_000, `endAt ${info.endAt.toISOString()} is not about 120 s away`)
})

await step('create-time envs and per-command envs are visible in a command', async () => {
  const r = await sbx.commands.run('echo "$CONF_ENV|$PER_CMD"', { envs: { PER_CMD: 'per command' } })
  check(r.exitCode === 0, `exit code ${r.exitCode}`)
  check(r.stdout === 'hello from create|per command\n', `stdout ${JSON.stringify(r.stdout)}`)
})

await step('commands.run streams stdout and stderr while the command runs', async () => {
  const t0 = Date.now()
  const chunks = []
  const r = await sbx.commands.run('echo a; echo e1 >&2; sleep 1; echo b', {
    onStdout: (data) => chunks.push({ stream: 'out', data, at: Date.now() - t0 }),
    onStderr: (data) => chunks.push({ stream: 'err', data, at: Date.now() - t0 }),
  })
  const total = Date.now() - t0
  check(r.stdout === 'a\nb\n', `stdout ${JSON.stringify(r.stdout)}`)
  check(r.stderr === 'e1\n', `stderr ${JSON.stringify(r.stderr)}`)
  const first = chunks.find((c) => c.stream === 'out' && c.data.includes('a'))
  const err = chunks.find((c) => c.stream === 'err')
  check(first && first.at < total - 700, `first stdout chunk came at ${first?.at} ms of ${total} ms`)
  check(err && err.at < total - 700, `stderr chunk came at ${err?.at} ms of ${total} ms`)
})

await step('a non-zero exit raises CommandExitError with its exit code', async () => {
  const err = await expectError(CommandExitError, () => sbx.commands.run('echo oops >&2; exit 3'))
  check(err.exitCode === 3, `exitCode ${err.exitCode}`)
  check(err.stderr === 'oops\n', `stderr ${JSON.stringify(err.stderr)}`)
})

await step('stdin is closed unless asked for (cat returns at once)', async () => {
  const r = await sbx.commands.run('cat; echo done', { timeoutMs: 10_000 })
  check(r.stdout === 'done\n', `stdout ${JSON.stringify(r.stdout)}`)
})

await step('a background command re-attached with commands.connect delivers later output and its exit code', async () => {
  const handle = await sbx.commands.run('echo early; sleep 1.5; echo later; exit 5', { background: true })
  const pid = handle.pid
  check(Number.isInteger(pid) && pid > 0, `pid ${pid}`)
  await handle.disconnect()
  const seen = []
  const again = await sbx.commands.connect(pid, { onStdout: (d) => seen.push(d) })
  check(again.pid === pid, `re-attached to pid ${again.pid}, not ${pid}`)
  const err = await expectError(CommandExitError, () => again.wait())
  check(err.exitCode === 5, `exitCode ${err.exitCode}`)
  check(seen.join('').includes('later'), `output after re-attach: ${JSON.stringify(seen.join(''))}`)
})

await step('commands.connect to an exited process is a not-found error', async () => {
  const handle = await sbx.commands.run('true', { background: true })
  await handle.wait()
  await expectError(NotFoundError, () => sbx.commands.connect(handle.pid))
})

await step('timeoutMs ends a long command with a TimeoutError and kills it', async () => {
  await expectError(TimeoutError, () => sbx.commands.run('sleep 30', { timeoutMs: 1000 }))
  // The client gives up at the same moment envd kills the process: allow the kill a moment.
  let list
  for (let i = 0; i < 20; i++) {
    list = await sbx.commands.list()
    if (!list.some((p) => p.args?.includes('sleep 30'))) return
    await sleep(100)
  }
  throw new Error(`still running: ${JSON.stringify(list)}`)
})

const binary = new Uint8Array(1024 * 1024 + 256)
for (let i = 0; i < 256; i++) binary[i] = i
binary.set(randomBytes(1024 * 1024), 256)
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')

await step('files.write and files.read({format:"bytes"}) round-trip binary content', async () => {
  const info = await sbx.files.write('/home/user/data/blob.bin', new Blob([binary]))
  check(info.path === '/home/user/data/blob.bin', `write answered ${JSON.stringify(info)}`)
  const back = await sbx.files.read('/home/user/data/blob.bin', { format: 'bytes' })
  check(back.length === binary.length, `read ${back.length} bytes, wrote ${binary.length}`)
  check(sha256(back) === sha256(binary), 'bytes differ')
})

await step('a written file is seen by commands at the same path', async () => {
  const r = await sbx.commands.run('sha256sum /home/user/data/blob.bin | cut -d" " -f1; ls ~/data')
  check(r.stdout === `${sha256(binary)}\nblob.bin\n`, `stdout ${JSON.stringify(r.stdout)}`)
})

await step('a file written by a command is read through files (relative to home)', async () => {
  await sbx.commands.run('mkdir -p out && printf "x\\000y" > out/made.bin', { cwd: '/home/user' })
  const back = await sbx.files.read('out/made.bin', { format: 'bytes' })
  check(Buffer.from(back).equals(Buffer.from([0x78, 0, 0x79])), `read ${JSON.stringify([...back])}`)
  check(await sbx.files.exists('out/made.bin'), 'files.exists says no')
  const entries = await sbx.files.list('/home/user/out')
  check(entries.length === 1 && entries[0].name === 'made.bin' && entries[0].type === 'file',
    `list ${JSON.stringify(entries)}`)
})

await step('files.write of a stream (octet-stream) and with gzip:true round-trip', async () => {
  const half = binary.length / 2
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(binary.subarray(0, half))
      controller.enqueue(binary.subarray(half))
      controller.close()
    },
  })
  await sbx.files.write('/home/user/streamed.bin', stream)
  check(sha256(await sbx.files.read('/home/user/streamed.bin', { format: 'bytes' })) === sha256(binary), 'streamed upload differs')
  await sbx.files.write('/home/user/gzipped.bin', new Blob([binary]), { gzip: true })
  check(sha256(await sbx.files.read('/home/user/gzipped.bin', { format: 'bytes', gzip: true })) === sha256(binary),
    'gzip upload differs')
})

await step('files.write of several files in one request', async () => {
  const written = await sbx.files.write([
    { path: '/home/user/many/one.txt', data: 'one' },
    { path: 'many/two.txt', data: 'two' },
  ])
  check(written.length === 2, `answered ${JSON.stringify(written)}`)
  const r = await sbx.commands.run('cat ~/many/one.txt ~/many/two.txt')
  check(r.stdout === 'onetwo', `stdout ${JSON.stringify(r.stdout)}`)
})

await step('files.makeDir, getInfo, rename and remove', async () => {
  check(await sbx.files.makeDir('/home/user/d1/d2') === true, 'makeDir answered false')
  check(await sbx.files.makeDir('/home/user/d1/d2') === false, 'makeDir of an existing dir answered true')
  await sbx.files.write('/home/user/d1/d2/f.txt', 'content')
  const info = await sbx.files.getInfo('/home/user/d1/d2/f.txt')
  check(info.type === 'file' && info.size === 7 && info.path === '/home/user/d1/d2/f.txt', `getInfo ${JSON.stringify(info)}`)
  await sbx.files.rename('/home/user/d1/d2/f.txt', '/home/user/d1/g.txt')
  check(await sbx.files.read('/home/user/d1/g.txt') === 'content', 'renamed file content')
  await sbx.files.remove('/home/user/d1')
  check(!(await sbx.files.exists('/home/user/d1')), 'removed dir still exists')
})

await step('commands run as root when asked, with root\'s home', async () => {
  const r = await sbx.commands.run('echo "$USER $LOGNAME"; cd ~ && pwd', { user: 'root' })
  const [who, home] = r.stdout.trim().split('\n')
  check(who === 'root root' && home.endsWith('/root'), `stdout ${JSON.stringify(r.stdout)}`)
})

await step('stdin:true, sendStdin and closeStdin', async () => {
  const handle = await sbx.commands.run('cat', { background: true, stdin: true })
  await handle.sendStdin('typed in\n')
  await handle.closeStdin()
  const r = await handle.wait()
  check(r.stdout === 'typed in\n', `stdout ${JSON.stringify(r.stdout)}`)
})

await step('commands.kill ends a running command (exit code -1) and it leaves the list', async () => {
  const handle = await sbx.commands.run('sleep 30', { background: true })
  check((await sbx.commands.list()).some((p) => p.pid === handle.pid), 'not listed while running')
  check(await sbx.commands.kill(handle.pid) === true, 'kill answered false')
  const err = await expectError(CommandExitError, () => handle.wait())
  check(err.exitCode === -1, `exitCode ${err.exitCode}`)
  check(!(await sbx.commands.list()).some((p) => p.pid === handle.pid), 'still listed')
  check(await sbx.commands.kill(handle.pid) === false, 'killing it again answered true')
})

await step('files.read of a missing file raises the SDK not-found error', async () => {
  await expectError(FileNotFoundError, () => sbx.files.read('/home/user/nope.txt'))
})

await step('Sandbox.list filtered by metadata finds ours and not another', async () => {
  other = await Sandbox.create('base', { metadata: { suite: 'conformance', run: `${RUN}-other` }, timeoutMs: 60_000 })
  cleanup.push(other)
  const found = await Sandbox.list({ query: { metadata: { run: RUN } } }).nextItems()
  const ids = found.map((s) => s.sandboxId)
  check(ids.includes(sbx.sandboxId), `ours missing from ${JSON.stringify(ids)}`)
  check(!ids.includes(other.sandboxId), `the other sandbox was listed too: ${JSON.stringify(ids)}`)
  const both = await Sandbox.list({ query: { metadata: { suite: 'conformance' } } }).nextItems()
  check(both.length >= 2, `suite filter found ${both.length}`)
})

await step('Sandbox.list pages with limit and nextToken', async () => {
  const paginator = Sandbox.list({ query: { metadata: { suite: 'conformance' } }, limit: 1 })
  const seen = []
  while (paginator.hasNext) seen.push(...(await paginator.nextItems()))
  const ids = new Set(seen.map((s) => s.sandboxId))
  check(ids.has(sbx.sandboxId) && ids.has(other.sandboxId) && ids.size === seen.length,
    `pages gave ${JSON.stringify(seen.map((s) => s.sandboxId))}`)
})

await step('setTimeout moves endAt', async () => {
  await sbx.setTimeout(300_000)
  const info = await sbx.getInfo()
  const left = info.endAt.getTime() - Date.now()
  check(left > 280_000 && left <= 301_000, `endAt is ${left} ms away`)
})

await step('Sandbox.connect to a running sandbox works', async () => {
  const again = await Sandbox.connect(sbx.sandboxId)
  const r = await again.commands.run('echo reconnected')
  check(r.stdout === 'reconnected\n', `stdout ${JSON.stringify(r.stdout)}`)
})

await step('egress rules given at create (host names, a wildcard, deny all) are read back by getInfo', async () => {
  const allowOut = ['api.anthropic.com', '*.example.com']
  const fenced = await Sandbox.create('base', {
    allowInternetAccess: true,
    network: { allowOut, denyOut: [ALL_TRAFFIC] },
    timeoutMs: 60_000,
  })
  cleanup.push(fenced)
  const info = await fenced.getInfo()
  check(info.allowInternetAccess === true, `allowInternetAccess ${JSON.stringify(info.allowInternetAccess)}`)
  check(JSON.stringify(info.network?.allowOut) === JSON.stringify(allowOut), `allowOut ${JSON.stringify(info.network?.allowOut)}`)
  check(JSON.stringify(info.network?.denyOut) === JSON.stringify(['0.0.0.0/0']), `denyOut ${JSON.stringify(info.network?.denyOut)}`)
  const plain = await sbx.getInfo()
  check(plain.network === undefined && plain.allowInternetAccess === undefined,
    `a sandbox created without rules reports ${JSON.stringify({ network: plain.network, allowInternetAccess: plain.allowInternetAccess })}`)
  check(await fenced.kill() === true, 'kill answered false')
})

await step('kill, then the killed sandbox is gone for commands, files, connect and kill', async () => {
  check(await other.kill() === true, 'kill answered false')
  await expectError(SandboxNotFoundError, () => other.commands.run('echo hi'))
  // envd's proxy answers 502 for a gone sandbox; the SDK maps that to TimeoutError on file calls.
  await expectError(TimeoutError, () => other.files.read('/home/user/anything'))
  await expectError(SandboxNotFoundError, () => Sandbox.connect(other.sandboxId))
  await expectError(SandboxNotFoundError, () => Sandbox.getInfo(other.sandboxId))
  check(await Sandbox.kill(other.sandboxId) === false, 'a second kill answered true')
  const listed = await Sandbox.list({ query: { metadata: { run: `${RUN}-other` } } }).nextItems()
  check(listed.length === 0, `killed sandbox still listed: ${JSON.stringify(listed)}`)
})

await step('an expired sandbox (timeout 2 s) is gone too', async () => {
  const short = await Sandbox.create('base', { timeoutMs: 2_000 })
  cleanup.push(short)
  const r = await short.commands.run('echo alive')
  check(r.stdout === 'alive\n', 'did not run before expiry')
  await sleep(3_000)
  await expectError(SandboxNotFoundError, () => short.commands.run('echo hi'))
  await expectError(SandboxNotFoundError, () => Sandbox.connect(short.sandboxId))
  check(!(await short.isRunning()), 'isRunning says yes')
})

await step('a running command is cut off when its sandbox expires', async () => {
  const short = await Sandbox.create('base', { timeoutMs: 2_000 })
  cleanup.push(short)
  const t0 = Date.now()
  // The dropped stream makes the SDK probe /health; a 502 there turns it into a TimeoutError.
  const err = await expectError(TimeoutError, () => short.commands.run('sleep 20', { timeoutMs: 30_000 }))
  check(err.message.includes('end of life'), `message ${err.message}`)
  check(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`)
})

for (const s of cleanup) await s.kill().catch(() => {})
console.log(failures === 0 ? '# all steps passed' : `# ${failures} step(s) failed`)
process.exit(failures === 0 ? 0 : 1)
