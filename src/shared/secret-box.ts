import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { ConfigError, type Env } from '../config/env.js'

// Outside production a fixed key keeps `npm start` and the tests working with no setup; what it
// seals is only as secret as this source file, which is fine for development data.
const DEVELOPMENT_KEY = createHash('sha256').update('relance development secret key, never for production').digest()

/** The 32-byte key that seals secrets at rest; production refuses to start without its own. */
export function resolveSecretKey(env: Pick<Env, 'NODE_ENV' | 'RELANCE_SECRET_KEY'>): Buffer {
  if (env.RELANCE_SECRET_KEY) return Buffer.from(env.RELANCE_SECRET_KEY, 'hex')
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(['RELANCE_SECRET_KEY: required in production (32 bytes as 64 hex characters)'])
  }
  return DEVELOPMENT_KEY
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` in base64url; the version lets the format change later. */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
}

export function unseal(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.')
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}
