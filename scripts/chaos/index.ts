/**
 * `npm run chaos -- NAME [options]`: fault-injection runs too long for the test suite, each on its
 * own embedded PostgreSQL (docs/reliability.md). The last line is one JSON object with the figures;
 * the exit code is 1 when the run found a problem.
 */
const RUNS: Record<string, () => Promise<{ run(args: string[]): Promise<{ ok: boolean; report: Record<string, unknown> }> }>> = {
  kill9: () => import('./kill9.js'),
}

async function main() {
  const [name, ...args] = process.argv.slice(2)
  const load = name ? RUNS[name] : undefined
  if (!load) {
    process.stderr.write(`usage: npm run chaos -- <${Object.keys(RUNS).join('|')}> [options]\n`)
    process.exit(2)
  }
  const { ok, report } = await (await load()).run(args)
  process.stdout.write(`${JSON.stringify(report)}\n`)
  process.exit(ok ? 0 : 1)
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos run failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
