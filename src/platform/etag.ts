import { sha256Hex } from '../shared/crypto.js'
import { AppError } from '../shared/errors.js'

/** A strong ETag over the object's API representation: any visible change changes it. */
export function etagOf(value: unknown): string {
  return `"${sha256Hex(JSON.stringify(value)).slice(0, 32)}"`
}

export function assertIfMatch(ifMatch: string | undefined, current: unknown): void {
  if (ifMatch === undefined) return
  const wanted = ifMatch.split(',').map((tag) => tag.trim())
  if (wanted.includes('*') || wanted.includes(etagOf(current))) return
  throw new AppError('precondition_failed', 'The object changed since you read it; fetch it again and retry.')
}
