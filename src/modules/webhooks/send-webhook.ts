import { request, type Dispatcher } from 'undici'

export interface OutgoingWebhook {
  url: string
  webhookId: string
  timestamp: number
  body: string
  signature: string
  jws: string
}

export interface AttemptResult {
  succeeded: boolean
  statusCode: number | null
  latencyMs: number
  /** The first bytes of the answer, for the delivery log; never parsed. */
  responseBody: string | null
  error: string | null
  retryAfterMs: number | null
}

const RESPONSE_BODY_BYTES = 1024

async function readStart(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  // Leaving the loop early destroys the stream: a receiver's huge answer is never read in full.
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.length
    if (size >= RESPONSE_BODY_BYTES) break
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_BYTES).toString('utf8')
}

function retryAfter(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now())
}

/**
 * One POST. Only a 2xx is a success; redirects are not followed (undici's `request` never does), so
 * a 3xx is a failure, as the spec says. Network errors and the timeout are failures with no status.
 */
export async function sendWebhook(dispatcher: Dispatcher, message: OutgoingWebhook, timeoutMs: number): Promise<AttemptResult> {
  const started = performance.now()
  try {
    const res = await request(message.url, {
      method: 'POST',
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Relance-Webhooks/1',
        'webhook-id': message.webhookId,
        'webhook-timestamp': String(message.timestamp),
        'webhook-signature': message.signature,
        'relance-signature-jws': message.jws,
      },
      body: message.body,
    })
    const responseBody = await readStart(res.body).catch(() => null)
    const succeeded = res.statusCode >= 200 && res.statusCode < 300
    return {
      succeeded,
      statusCode: res.statusCode,
      latencyMs: Math.round(performance.now() - started),
      responseBody,
      error: succeeded ? null : `HTTP ${res.statusCode}`,
      retryAfterMs: res.statusCode === 429 || res.statusCode === 503 ? retryAfter(res.headers['retry-after']) : null,
    }
  } catch (error) {
    const err = error as Error & { code?: string; cause?: Error & { code?: string } }
    const cause = err.cause ?? err
    const reason = err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : `${cause.code ?? cause.name}: ${cause.message}`
    return { succeeded: false, statusCode: null, latencyMs: Math.round(performance.now() - started), responseBody: null, error: reason, retryAfterMs: null }
  }
}
