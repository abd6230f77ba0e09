/**
 * `npm run openapi` writes openapi/openapi.json from the routes; `--check` fails when the committed
 * file differs, so the contract clients are generated from never drifts from the code.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { generateOpenApi } from '../src/platform/openapi-document.js'

export const OPENAPI_FILE = new URL('../openapi/openapi.json', import.meta.url)

const document = await generateOpenApi()
if (process.argv.includes('--check')) {
  const committed = await readFile(OPENAPI_FILE, 'utf8').catch(() => '')
  if (committed !== document) {
    process.stderr.write('openapi/openapi.json is out of date with the routes: run `npm run openapi` and commit it.\n')
    process.exit(1)
  }
  process.stdout.write('openapi/openapi.json matches the routes.\n')
} else {
  await writeFile(OPENAPI_FILE, document)
  process.stdout.write('wrote openapi/openapi.json\n')
}
