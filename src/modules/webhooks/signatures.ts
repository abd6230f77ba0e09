import { createHmac, randomBytes, sign, type KeyObject } from 'node:crypto'

const SECRET_PREFIX = 'whsec_'

/** A Standard Webhooks secret: 32 random bytes (the spec asks 24 to 64), base64 after `whsec_`. */
export function newEndpointSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64')
}

export function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64')
}

/** What both signatures cover (Standard Webhooks): `{webhook-id}.{webhook-timestamp}.{body}`. */
export function signedContent(webhookId: string, timestamp: number, body: string): string {
  return `${webhookId}.${timestamp}.${body}`
}

/**
 * `webhook-signature`: one `v1,<base64 HMAC-SHA256>` per secret, space-separated. During a
 * rotation's overlap both the new and the old secret sign; a receiver accepts either.
 */
export function standardSignature(secrets: Buffer[], content: string): string {
  return secrets.map((secret) => `v1,${createHmac('sha256', secret).update(content).digest('base64')}`).join(' ')
}

export interface JwsSigner {
  kid: string
  alg: 'EdDSA'
  key: KeyObject
  /** base64url of the protected header `{"alg":"EdDSA","kid":…}`, the same for every signature. */
  header: string
}

/**
 * `relance-signature-jws`: a compact JWS (RFC 7515) over the same signed content, sent with its
 * payload detached (Appendix F): `<header>..<signature>`. The verifier puts
 * base64url(`id.timestamp.body`) back between the dots and checks it against our JWKS by `kid`
 * (jose's compactVerify does; the tests verify with it). Signed with node:crypto's Ed25519 directly:
 * the same bytes as jose's CompactSign, at about half the cost per delivery.
 */
export function detachedJws(signer: JwsSigner, content: string): string {
  const signingInput = `${signer.header}.${Buffer.from(content, 'utf8').toString('base64url')}`
  return `${signer.header}..${sign(null, Buffer.from(signingInput, 'ascii'), signer.key).toString('base64url')}`
}
