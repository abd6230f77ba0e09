/**
 * The fenced code blocks of the docs, with the HTML comment that may precede each one, and the
 * checks that do not need a server: npm scripts and file paths named, JSON against the OpenAPI
 * schemas, expected output. docs-samples.test.ts runs the rest (the rule is written there).
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'

export interface DocBlock {
  file: string
  /** 1-based line of the opening fence. */
  line: number
  lang: string
  code: string
  /** From `<!-- key: value; key2 -->` on the line before (blank lines allowed): schema, file, output, not run, module. */
  directives: Record<string, string>
}

export const where = (b: DocBlock) => `${b.file}:${b.line} (${b.lang || 'no language'})`

function parseDirectives(comment: string): Record<string, string> {
  const inner = /^<!--(.*)-->$/.exec(comment.trim())?.[1]
  if (!inner) return {}
  return Object.fromEntries(
    inner
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const at = part.indexOf(':')
        return at < 0 ? [part, ''] : [part.slice(0, at).trim(), part.slice(at + 1).trim()]
      }),
  )
}

/** Every fenced block of a page, in order. An unterminated fence is an error, not a silent skip. */
export function docBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n')
  const blocks: DocBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!)
    if (!open) continue
    const end = lines.findIndex((l, j) => j > i && l === '```')
    if (end < 0) throw new Error(`${file}:${i + 1}: code block never closed`)
    const previous = lines.slice(0, i).reverse().find((l) => l.trim() !== '')
    blocks.push({ file, line: i + 1, lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), directives: previous ? parseDirectives(previous) : {} })
    i = end
  }
  return blocks
}

/** `<!-- docs-test: continues getting-started.md -->` on a line of its own, anywhere in a page. */
export function continuesFrom(markdown: string): string | null {
  return /^<!-- docs-test: continues ([\w./-]+) -->$/m.exec(markdown)?.[1] ?? null
}

/** Problems with what a shell block names: `npm run X` must be a script, repository paths must exist. */
export function commandProblems(block: DocBlock, scripts: Record<string, string>): string[] {
  const problems: string[] = []
  for (const [, name] of block.code.matchAll(/\bnpm (?:run|run-script)(?: -s)? ([\w:.-]+)/g)) {
    if (!scripts[name!]) problems.push(`npm run ${name}: no such script in package.json`)
  }
  for (const [, name] of block.code.matchAll(/\bnpm (start|test)\b/g)) {
    if (!scripts[name!]) problems.push(`npm ${name}: no such script in package.json`)
  }
  const paths = block.code.matchAll(/(?<![\w./$-])(?:\.\/)?((?:src|test|scripts|docs|examples|clients|migrations|openapi|\.ci)\/[\w./-]*[\w-])/g)
  for (const [, path] of paths) {
    if (!existsSync(path!)) problems.push(`${path}: no such file or directory`)
  }
  return problems
}

/**
 * Whether `actual` output is what the page shows: line by line, trailing spaces ignored, `…` in
 * the expected text standing for any characters (ids, times that change from run to run).
 */
export function outputMatches(actual: string, expected: string): boolean {
  const norm = (s: string) => s.split('\n').map((l) => l.trimEnd()).join('\n').trim()
  const pattern = norm(expected)
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?')
  return new RegExp(`^${pattern}$`, 's').test(norm(actual))
}

let validators: Promise<(name: string) => ValidateFunction> | undefined

/**
 * A validator for `Name` (components/schemas) or `webhooks/<event type>` (the delivery body) of
 * openapi/openapi.json: the committed contract, which CI keeps equal to the routes.
 */
export function schemaValidator(name: string): Promise<ValidateFunction> {
  validators ??= readFile('openapi/openapi.json', 'utf8').then((text) => {
    const document = JSON.parse(text) as { webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: object }> } } }> }
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
    ajv.addSchema({ ...document, $id: 'openapi.json' })
    return (schema: string) => {
      if (schema.startsWith('webhooks/')) {
        const hook = document.webhooks[schema.slice('webhooks/'.length)]
        if (!hook) throw new Error(`openapi.json has no webhook ${schema}`)
        return ajv.compile({ $ref: `openapi.json#/webhooks/${schema.slice('webhooks/'.length)}/post/requestBody/content/application~1json/schema` })
      }
      const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`)
      if (!validate) throw new Error(`openapi.json has no schema ${schema}`)
      return validate
    }
  })
  return validators.then((get) => get(name))
}

/** Parse errors or schema errors of a JSON block (or each line of an NDJSON block). */
export async function jsonProblems(block: DocBlock): Promise<string[]> {
  const documents = block.lang === 'ndjson' ? block.code.split('\n').filter((l) => l.trim()) : [block.code]
  const problems: string[] = []
  const validate = block.directives.schema ? await schemaValidator(block.directives.schema) : null
  for (const [i, text] of documents.entries()) {
    const label = block.lang === 'ndjson' ? `line ${i + 1}: ` : ''
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      problems.push(`${label}not JSON: ${(error as Error).message}`)
      continue
    }
    if (validate && !validate(value)) {
      problems.push(...(validate.errors ?? []).map((e) => `${label}${block.directives.schema}${e.instancePath || ''}: ${e.message ?? 'invalid'}`))
    }
  }
  return problems
}

/** INI as PgBouncer reads it: `[section]`, `key = value`, `;` or `#` comments. */
export function iniProblems(block: DocBlock): string[] {
  return block.code
    .split('\n')
    .map((line, i) => ({ line: line.replace(/\s[;#].*$/, '').trim(), i }))
    .filter(({ line }) => line && !line.startsWith(';') && !line.startsWith('#'))
    .filter(({ line }) => !/^\[[\w.-]+\]$/.test(line) && !/^[\w.]+\s*=\s*\S/.test(line))
    .map(({ line, i }) => `line ${i + 1} is not INI: ${line}`)
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorsOf(markdown: string): Set<string> {
  const headings = markdown.replace(/^```[\s\S]*?^```$/gm, '').match(/^#{1,6} .+$/gm) ?? []
  return new Set(headings.map((h) => h.replace(/^#+ /, '').toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')))
}

/** Relative Markdown links of a page whose target file, or heading, does not exist. */
export function brokenLinks(file: string, markdown: string, pages: ReadonlyMap<string, string>): string[] {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : ''
  const broken: string[] = []
  for (const [, target] of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target!)) continue
    const [relative, anchor] = target!.split('#')
    const path = relative ? new URL(relative, `file:///root/${dir}`).pathname.slice('/root/'.length) : file
    if (!existsSync(path)) broken.push(`${file}: link to ${target} (${path}) leads nowhere`)
    else if (anchor && pages.has(path) && !anchorsOf(pages.get(path)!).has(anchor)) broken.push(`${file}: link to ${target}: no such heading in ${path}`)
  }
  return broken
}
