/**
 * `npm run bench -- NAME [--scale F]`: runs one benchmark on its own embedded PostgreSQL and prints
 * progress, then one JSON line (CONVENTIONS.md, Benchmarks). Results go in docs/benchmarks.md.
 */
import { printResult } from './harness.js'

const BENCHES: Record<string, () => Promise<{ run(args: string[]): Promise<Record<string, unknown>> }>> = {
  ingest: () => import('./ingest.js'),
  read: () => import('./read.js'),
  webhooks: () => import('./webhooks.js'),
  engine: () => import('./engine.js'),
  dispatch: () => import('./dispatch.js'),
  workers: () => import('./workers.js'),
}

async function main() {
  const [name, ...args] = process.argv.slice(2)
  const load = name ? BENCHES[name] : undefined
  if (!load) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--scale F]\n`)
    process.exit(2)
  }
  const result = await (await load()).run(args)
  printResult(result)
  // Keep-alive sockets of the HTTP clients would hold the event loop open a while longer.
  process.exit(0)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
