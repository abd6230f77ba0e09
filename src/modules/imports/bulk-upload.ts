import type { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../shared/errors.js'
import type { BulkLimits } from './imports.config.js'

/**
 * The body of a bulk request, not yet read: NDJSON streams (never buffered whole), a JSON array is
 * read up to a size. `toJSON` is what the Idempotency-Key fingerprint sees: a streamed body cannot be
 * hashed before the key is claimed, so the fingerprint covers its type and declared length.
 */
export class BulkUpload {
  constructor(
    readonly stream: Readable,
    readonly format: 'ndjson' | 'json',
    readonly declaredLength: number | null,
  ) {}

  toJSON() {
    return { bulk_upload: this.format, content_length: this.declaredLength }
  }
}

/** In the bulk routes' own context only: other routes keep Fastify's JSON parser. */
export function registerBulkParsers(app: FastifyInstance) {
  app.removeAllContentTypeParsers()
  for (const [type, format] of [
    ['application/x-ndjson', 'ndjson'],
    ['application/json', 'json'],
  ] as const) {
    app.addContentTypeParser(type, (request, payload, done) => {
      const length = Number(request.headers['content-length'])
      done(null, new BulkUpload(payload, format, Number.isFinite(length) ? length : null))
    })
  }
}

export const tooLarge = (max: number, hint = '') => new AppError('payload_too_large', `The body may hold up to ${max} bytes.${hint}`)

async function readAll(upload: BulkUpload, max: number, hint: string): Promise<Buffer> {
  if ((upload.declaredLength ?? 0) > max) throw tooLarge(max, hint)
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of upload.stream as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > max) throw tooLarge(max, hint)
    parts.push(chunk)
  }
  return Buffer.concat(parts)
}

/** A JSON body is parsed in memory, so it has a smaller cap than NDJSON. */
export async function readJsonArray(upload: BulkUpload, limits: BulkLimits): Promise<unknown[]> {
  const body = await readAll(upload, limits.jsonMaxBytes, ' Send larger files as NDJSON (application/x-ndjson).')
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch {
    throw new AppError('malformed_json', 'The request body is not valid JSON.')
  }
  if (!Array.isArray(value)) {
    throw new AppError('validation_failed', 'A JSON body must be an array with one object per line (or send NDJSON).', [
      { path: 'body', message: 'Must be an array' },
    ])
  }
  return value
}

export interface Peeked {
  head: Buffer[]
  /** Physical lines in `head`, the last one counted even without its newline. */
  lines: number
  ended: boolean
  rest: AsyncIterator<Buffer>
}

/**
 * Reads the start of an NDJSON upload, enough to know whether it is small (answered at once) or
 * large (an import job). Stops as soon as it is large, keeping at most `syncMaxBytes`.
 */
export async function peek(upload: BulkUpload, limits: BulkLimits): Promise<Peeked> {
  if ((upload.declaredLength ?? 0) > limits.uploadMaxBytes) throw tooLarge(limits.uploadMaxBytes, ' Split the file.')
  const rest = (upload.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]()
  const head: Buffer[] = []
  let bytes = 0
  let newlines = 0
  let last = 0x0a
  for (;;) {
    const next = await rest.next()
    const lines = newlines + (last === 0x0a ? 0 : 1)
    if (next.done) return { head, lines, ended: true, rest }
    const chunk = next.value
    head.push(chunk)
    bytes += chunk.length
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) newlines++
    if (chunk.length) last = chunk[chunk.length - 1]!
    if (newlines > limits.syncMaxLines || bytes > limits.syncMaxBytes) return { head, lines: newlines, ended: false, rest }
  }
}

/** The peeked start, then the rest of the stream. */
export async function* resume(peeked: Peeked): AsyncGenerator<Buffer> {
  yield* peeked.head
  for (;;) {
    const next = await peeked.rest.next()
    if (next.done) return
    yield next.value
  }
}
