/**
 * `npm run client:generate`: writes clients/typescript/schema.d.ts from openapi/openapi.json.
 * `npm run client:check` (CI): generates it again into a temporary file and fails if the committed
 * one differs, then type-checks the client and the examples that use it, so a breaking change to
 * the contract shows up as a compile error.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const SCHEMA = 'clients/typescript/schema.d.ts'
const bin = (name: string) => path.resolve('node_modules/.bin', name)

function generate(output: string): void {
  // Defaults make fields optional in what you send, not required: we describe requests with them.
  execFileSync(bin('openapi-typescript'), ['openapi/openapi.json', '--default-non-nullable', 'false', '-o', output], { stdio: 'pipe' })
}

if (!process.argv.includes('--check')) {
  generate(SCHEMA)
  process.stdout.write(`wrote ${SCHEMA}\n`)
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'relance-client-'))
  try {
    const fresh = path.join(dir, 'schema.d.ts')
    generate(fresh)
    if (readFileSync(fresh, 'utf8') !== readFileSync(SCHEMA, 'utf8')) {
      process.stderr.write(`${SCHEMA} is out of date with openapi/openapi.json: run npm run client:generate\n`)
      process.exit(1)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    execFileSync(bin('tsc'), ['--noEmit', '-p', 'clients/typescript/tsconfig.json'], { stdio: 'inherit' })
  } catch {
    process.stderr.write('the client or the examples no longer compile against the contract\n')
    process.exit(1)
  }
  process.stdout.write('client up to date with openapi/openapi.json and type-checked\n')
}
