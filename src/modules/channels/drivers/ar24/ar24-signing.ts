/**
 * AR24 request signing and response encryption (providers.md §1, verified vectors).
 * AR24's PHP side derives AES keys from hex digests and lets openssl truncate them, so the keys are
 * the ASCII bytes of hex characters, not the digest bytes: reproduce that exactly or nothing matches.
 */
import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto'

const sha256hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex')

function requestKey(privateKey: string): Buffer {
  return Buffer.from(sha256hex(privateKey).slice(0, 32), 'ascii')
}

function sharedIv(privateKey: string): Buffer {
  return Buffer.from(sha256hex(sha256hex(privateKey)).slice(0, 16), 'ascii')
}

function responseKey(date: string, privateKey: string): Buffer {
  return Buffer.from(sha256hex(date + privateKey).slice(0, 32), 'ascii')
}

/** The `signature` header: base64(AES-256-CBC(date)). */
export function signDate(date: string, privateKey: string): string {
  const cipher = createCipheriv('aes-256-cbc', requestKey(privateKey), sharedIv(privateKey))
  return Buffer.concat([cipher.update(date, 'utf8'), cipher.final()]).toString('base64')
}

export function verifySignature(signature: string, date: string, privateKey: string): boolean {
  const expected = Buffer.from(signDate(date, privateKey))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Encrypts a response body the way AR24 does (used by the simulator). */
export function encryptResponse(json: string, date: string, privateKey: string): string {
  const cipher = createCipheriv('aes-256-cbc', responseKey(date, privateKey), sharedIv(privateKey))
  return Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]).toString('base64')
}

/** Throws when the body is not a valid ciphertext for this date and key. */
export function decryptResponse(body: string, date: string, privateKey: string): string {
  const decipher = createDecipheriv('aes-256-cbc', responseKey(date, privateKey), sharedIv(privateKey))
  return Buffer.concat([decipher.update(body.trim(), 'base64'), decipher.final()]).toString('utf8')
}

const PARIS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** `YYYY-MM-DD HH:mm:ss` in Europe/Paris: the format AR24 wants in `date` and uses in mail objects. */
export function parisDateTime(at: Date): string {
  const parts = Object.fromEntries(PARIS.formatToParts(at).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

function parisOffsetMs(at: number): number {
  const [date, time] = parisDateTime(new Date(at)).split(' ') as [string, string]
  return Date.parse(`${date}T${time}Z`) - Math.floor(at / 1000) * 1000
}

/** Inverse of parisDateTime; null for anything that is not `YYYY-MM-DD HH:mm:ss`. */
export function parseParisDateTime(value: string | null | undefined): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(value ?? '')
  if (!match) return null
  const asUtc = Date.parse(`${match[1]}T${match[2]}Z`)
  if (Number.isNaN(asUtc)) return null
  let at = asUtc - parisOffsetMs(asUtc)
  // Near a DST switch the offset at the guess differs from the offset at the answer.
  at = asUtc - parisOffsetMs(at)
  return new Date(at)
}
