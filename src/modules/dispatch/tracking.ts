import { createHmac, timingSafeEqual } from 'node:crypto'
import type { OutgoingMessage } from '../channels/channel-driver.js'
import type { ClaimedDispatch } from './dispatch-claim.repository.js'
import { paymentLinkOf, type BuiltMessage } from './message-builder.js'

/**
 * Open and click tracking (tenants opt in): the email's HTML gets a 1×1 pixel and its payment link
 * goes through Relance, which records the hit and redirects. The token is the dispatch id with an
 * HMAC under RELANCE_SECRET_KEY: nobody can forge a hit on another dispatch, or enumerate them.
 */

const mac = (key: Buffer, dispatchId: string) => createHmac('sha256', key).update(`relance-tracking:${dispatchId}`).digest().subarray(0, 16).toString('base64url')

export function trackingToken(key: Buffer, dispatchId: string): string {
  return `${dispatchId}.${mac(key, dispatchId)}`
}

/** The dispatch id a token stands for, or null when it was not issued by us. */
export function readTrackingToken(key: Buffer, token: string): string | null {
  const [dispatchId, given, extra] = token.split('.')
  if (!dispatchId || !given || extra !== undefined || !/^[\w-]{1,64}$/.test(dispatchId)) return null
  const expected = Buffer.from(mac(key, dispatchId))
  const actual = Buffer.from(given)
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? dispatchId : null
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const ENTITIES: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" }
/** An attribute value as the browser reads it (Liquid escapes `"` as &#34;, others as &quot;). */
const unescapeHtml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1]?.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? m),
  )

export interface TrackedMessage {
  message: OutgoingMessage
  /** The real payment link, kept on the dispatch: the redirect goes there. */
  link: string | null
}

/**
 * Rewrites a rendered email: every occurrence of the payment link (HTML-escaped in the HTML part,
 * raw in the text part) becomes the redirect, and a pixel closes the HTML body.
 */
export function addTracking(message: OutgoingMessage, paymentLink: string | null, publicUrl: string, key: Buffer): TrackedMessage {
  const base = publicUrl.replace(/\/$/, '')
  const token = trackingToken(key, message.dispatchId)
  const click = `${base}/t/c/${token}`
  const pixel = `<img src="${base}/t/o/${token}.gif" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`
  let html = message.html
  let text = message.text
  if (paymentLink) {
    // Every href that reads as the payment link, however the template escaped it.
    html = html?.replace(/href="([^"]*)"/gi, (attr, value: string) => (unescapeHtml(value) === paymentLink ? `href="${escapeHtml(click)}"` : attr))
    text = text?.split(paymentLink).join(click)
  }
  if (html) html = /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${pixel}</body>`) : `${html}${pixel}`
  return { message: { ...message, html, text }, link: paymentLink }
}

/** Emails of a tenant who opted in carry the open pixel and the redirected payment link. */
export function trackedIfOptedIn(d: ClaimedDispatch, built: BuiltMessage, publicUrl: string, key: Buffer): BuiltMessage {
  if (!d.tracking || d.channel !== 'email') return built
  const tracked = addTracking(built.message, paymentLinkOf(d), publicUrl, key)
  const html = tracked.message.html ?? null
  return { ...built, message: tracked.message, content: { ...built.content, html, text: tracked.message.text ?? null, tracked_link: tracked.link } }
}
