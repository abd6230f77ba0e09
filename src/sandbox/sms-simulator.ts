/**
 * A generic HTTP SMS gateway on loopback, speaking what the `sms-http` driver sends: `POST /sms`
 * with JSON `{ to, from, text, reference }`, answered `{ id }`. `outage` makes it answer 503 (as a
 * gateway in maintenance does) until turned off; every request is counted either way.
 */
import { randomUUID } from 'node:crypto'
import { closeServer, json, listen } from './http-kit.js'

export interface SmsSimulatorOptions {
  port?: number
  latencyMs?: number
}

export async function startSmsSimulator(options: SmsSimulatorOptions = {}) {
  const stats = { requests: 0, accepted: 0, sendsByRef: {} as Record<string, number> }
  let outage = false
  const { server, url } = await listen(
    async (req) => {
      stats.requests++
      if (req.method !== 'POST' || req.url.pathname !== '/sms') return json(404, { error: 'not_found' })
      if (outage) return json(503, { code: 'maintenance', error: 'Gateway under maintenance' })
      const body = JSON.parse(req.body.toString('utf8') || '{}') as { to?: string; text?: string; reference?: string }
      if (!body.to || !body.text) return json(400, { code: 'invalid_message', error: 'to and text are required' })
      const ref = body.reference ?? ''
      stats.sendsByRef[ref] = (stats.sendsByRef[ref] ?? 0) + 1
      stats.accepted++
      return json(200, { id: randomUUID() })
    },
    options.port,
    options.latencyMs,
  )
  return {
    url: `${url}/sms`,
    stats,
    setOutage(on: boolean) {
      outage = on
    },
    close: () => closeServer(server),
  }
}

export type SmsSimulator = Awaited<ReturnType<typeof startSmsSimulator>>
