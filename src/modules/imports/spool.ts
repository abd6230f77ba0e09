import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { AppError } from '../../shared/errors.js'

const NEWLINE = 0x0a

function countNewlines(chunk: Buffer): number {
  let n = 0
  for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) n++
  return n
}

/**
 * A large upload goes to a temporary file as fast as the client sends it, while the import reads it
 * back from the start as it grows: memory stays bounded whatever the size, processing starts with
 * the first bytes, and the client gets its 202 as soon as the upload is complete.
 */
export class Spool {
  private size = 0
  private newlines = 0
  private endsWithNewline = true
  private done = false
  private failure: Error | null = null
  private wake: (() => void) | null = null

  private constructor(
    private readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  static async create(): Promise<Spool> {
    const dir = await mkdtemp(path.join(tmpdir(), 'relance-import-'))
    return new Spool(dir, await open(path.join(dir, 'upload'), 'w+', 0o600))
  }

  /** Physical lines received so far (the last one may still be incomplete). */
  get lines(): number {
    return this.newlines + (this.endsWithNewline ? 0 : 1)
  }

  private notify() {
    const wake = this.wake
    this.wake = null
    wake?.()
  }

  async fill(source: AsyncIterable<Buffer>, maxBytes: number): Promise<void> {
    try {
      for await (const chunk of source) {
        if (this.size + chunk.length > maxBytes) {
          throw new AppError('payload_too_large', `An upload may hold up to ${maxBytes} bytes; split the file.`)
        }
        await this.file.write(chunk, 0, chunk.length, this.size)
        this.size += chunk.length
        this.newlines += countNewlines(chunk)
        if (chunk.length) this.endsWithNewline = chunk[chunk.length - 1] === NEWLINE
        this.notify()
      }
      this.done = true
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error))
      throw error
    } finally {
      this.notify()
    }
  }

  /** Reads the file from the start, waiting for more until the upload ends; throws if it failed. */
  async *read(bufferSize = 1 << 20): AsyncGenerator<Buffer> {
    let position = 0
    for (;;) {
      if (position < this.size) {
        // A fresh buffer per read: the line splitter keeps slices of it.
        const buffer = Buffer.allocUnsafe(Math.min(bufferSize, this.size - position))
        const { bytesRead } = await this.file.read(buffer, 0, buffer.length, position)
        position += bytesRead
        yield buffer.subarray(0, bytesRead)
        continue
      }
      if (this.failure) throw new UploadFailed(this.failure)
      if (this.done) return
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }

  async remove(): Promise<void> {
    await this.file.close().catch(() => undefined)
    await rm(this.dir, { recursive: true, force: true })
  }
}

/** The upload broke off (client gone, too large): the import stops where the data stops. */
export class UploadFailed extends Error {
  constructor(readonly reason: Error) {
    super(reason instanceof AppError ? reason.detail : 'The upload was interrupted before its end.')
    this.name = 'UploadFailed'
  }
}
