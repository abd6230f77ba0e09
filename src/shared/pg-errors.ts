import { AppError } from './errors.js'

/** Turns a unique violation on an `external_ref` index into the 409 a caller can act on. */
export async function uniqueExternalRef<T>(what: string, externalRef: string | null | undefined, fn: () => Promise<T>) {
  try {
    return await fn()
  } catch (error) {
    const pgError = (error as { cause?: { code?: string; constraint?: string } }).cause ?? (error as { code?: string; constraint?: string })
    if (pgError.code === '23505' && pgError.constraint?.includes('external_ref')) {
      throw new AppError('conflict', `Another ${what} already has external_ref ${externalRef}.`, [
        { path: 'body.external_ref', message: 'Already used by another object' },
      ])
    }
    throw error
  }
}
