import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { freshDatabase } from '../helper.js'

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

interface Started {
  child: ChildProcess
  output: () => string
}

/** `npm start` as a user runs it: node with the tsx loader on src/main.ts. */
async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const deadline = Date.now() + 60_000
  while (!output.includes('Relance is up')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start:\n${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { child, output: () => output }
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.kill('SIGTERM')
  })
}

const postgresProcessesIn = (dir: string) =>
  spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).length

t.test('npm start: embedded PostgreSQL, key on first start only, data kept, clean shutdown', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-start-'))
  await chmod(dir, 0o755)
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const env = { RELANCE_DATA_DIR: dir, PORT: String(await freePort()), RELANCE_EMBEDDED_PG_PORT: String(await freePort()) }
  const base = `http://127.0.0.1:${env.PORT}`

  const first = await start(env)
  const key = /Platform API key \(shown this once, keep it\): (rl_platform_\w+)/.exec(first.output())?.[1]
  t.ok(key, 'the first start prints a platform key')
  t.match(first.output(), `Docs:     ${base}/docs`)
  t.equal((await fetch(`${base}/healthz`)).status, 200)
  t.equal((await fetch(`${base}/docs/`)).status, 200)
  const created = await fetch(`${base}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Kept SAS' }),
  })
  t.equal(created.status, 201)
  t.equal(await stop(first.child), 0, 'SIGTERM exits 0')
  t.equal(postgresProcessesIn(dir), 0, 'no PostgreSQL process is left behind')

  const second = await start(env)
  t.notMatch(second.output(), /Platform API key/, 'no new key on the second start')
  const list = await fetch(`${base}/v1/tenants`, { headers: { authorization: `Bearer ${key}` } })
  const tenants = (await list.json()) as { data: { name: string }[] }
  t.same(
    tenants.data.map((x) => x.name),
    ['Kept SAS'],
    'the data survived the restart',
  )
  t.equal(await stop(second.child), 0, second.output().slice(-3000))
  t.equal(postgresProcessesIn(dir), 0)
})

t.test('with DATABASE_URL the same command uses that server and starts nothing else', async (t) => {
  const { url } = await freshDatabase(t)
  const dir = path.join(tmpdir(), `relance-unused-${process.pid}`)
  const port = String(await freePort())
  const started = await start({ DATABASE_URL: url, PORT: port, RELANCE_DATA_DIR: dir, RELANCE_BOOTSTRAP_KEY: `rl_platform_${'b'.repeat(32)}` })
  t.notMatch(started.output(), /embedded/i)
  t.notMatch(started.output(), /Platform API key/, 'a chosen bootstrap key is not printed')
  const res = await fetch(`http://127.0.0.1:${port}/v1/tenants`, { headers: { authorization: `Bearer rl_platform_${'b'.repeat(32)}` } })
  t.equal(res.status, 200, 'RELANCE_BOOTSTRAP_KEY works as a platform key')
  t.equal(await stop(started.child), 0)
  t.notOk(existsSync(dir), 'no embedded data directory was created')
})

t.test('a bad setting stops start-up with a message naming the variable', async (t) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: 'eighty', RELANCE_ROLE: 'boss' },
    encoding: 'utf8',
  })
  t.equal(result.status, 78)
  t.match(result.stderr, /PORT: /)
  t.match(result.stderr, /RELANCE_ROLE: /)
  t.match(result.stderr, /\.env\.example/)
})
