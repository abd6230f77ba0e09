import type { FieldError } from '../../shared/errors.js'

/** One line of a bulk upload: its 1-based number in the file, and the parsed JSON or why not. */
export type RawLine = { line: number; value: unknown } | { line: number; error: FieldError }

/** Where reading stands: the last physical line read, blank ones included. */
export interface LineCounter {
  lines: number
}

const NEWLINE = 0x0a

function parseLine(line: number, bytes: Buffer): RawLine | null {
  let text = bytes.toString('utf8')
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  text = text.trim()
  if (!text) return null
  try {
    return { line, value: JSON.parse(text) }
  } catch (error) {
    return { line, error: { path: 'line', message: `Not valid JSON: ${(error as Error).message}` } }
  }
}

const tooLong = (line: number, max: number): RawLine => ({
  line,
  error: { path: 'line', message: `Longer than ${max} bytes` },
})

/**
 * Splits NDJSON into lines as bytes arrive, one batch per input chunk so a million lines do not cost
 * a million promise hops. A line longer than `maxLineBytes` is skipped as it streams (rejected, never
 * held whole), so memory stays bounded whatever the input.
 */
export async function* ndjsonLines(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  maxLineBytes: number,
  counter: LineCounter = { lines: 0 },
): AsyncGenerator<RawLine[]> {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let overflow = false
  const finish = (piece: Buffer): RawLine | null => {
    const line = ++counter.lines
    const long = overflow || pendingBytes + piece.length > maxLineBytes
    const bytes = long ? null : pending.length ? Buffer.concat([...pending, piece]) : piece
    pending = []
    pendingBytes = 0
    overflow = false
    return bytes ? parseLine(line, bytes) : tooLong(line, maxLineBytes)
  }
  for await (const chunk of chunks) {
    const batch: RawLine[] = []
    let start = 0
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const parsed = finish(chunk.subarray(start, nl))
      if (parsed) batch.push(parsed)
      start = nl + 1
    }
    const rest = chunk.subarray(start)
    if (rest.length && !overflow) {
      if (pendingBytes + rest.length > maxLineBytes) {
        overflow = true
        pending = []
        pendingBytes = 0
      } else {
        pending.push(rest)
        pendingBytes += rest.length
      }
    }
    if (batch.length) yield batch
  }
  if (pendingBytes || overflow) {
    const last = finish(Buffer.alloc(0))
    if (last) yield [last]
  }
}

/** The elements of a JSON array as lines: line n is element n (1-based). */
export function jsonArrayLines(items: unknown[], counter: LineCounter = { lines: 0 }): RawLine[] {
  counter.lines = items.length
  return items.map((value, i) => ({ line: i + 1, value }))
}

/** Regroups batches of lines into chunks of `size`: the unit of one transaction. */
export async function* inChunks(batches: AsyncIterable<RawLine[]> | Iterable<RawLine[]>, size: number): AsyncGenerator<RawLine[]> {
  let chunk: RawLine[] = []
  for await (const batch of batches) {
    for (const line of batch) {
      chunk.push(line)
      if (chunk.length === size) {
        yield chunk
        chunk = []
      }
    }
  }
  if (chunk.length) yield chunk
}
