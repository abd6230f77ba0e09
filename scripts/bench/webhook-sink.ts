/**
 * The webhooks bench's receiver, in its own process so it does not share the pump's event loop:
 * counts deliveries and distinct webhook-ids; `down` answers 503 to everything (an outage).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export type SinkMessage =
  | { type: 'ready'; port: number }
  | { type: 'mode'; up: boolean }
  | { type: 'count' }
  | { type: 'counted'; requests: number; delivered: number; unique: number }

let up = true
let requests = 0
let delivered = 0
const ids = new Set<string>()
const send = (message: SinkMessage) => process.send?.(message)

const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    requests++
    if (!up) return res.writeHead(503).end('down')
    delivered++
    ids.add(String(req.headers['webhook-id']))
    res.writeHead(200).end('ok')
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as AddressInfo).port }))
process.on('message', (message: SinkMessage) => {
  if (message.type === 'mode') up = message.up
  if (message.type === 'count') send({ type: 'counted', requests, delivered, unique: ids.size })
})
process.on('disconnect', () => process.exit(0))
