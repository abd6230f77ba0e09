/**
 * The SMS gateway simulator in its own process for the dispatch bench, so that the gateway's HTTP
 * work does not share the measured event loop. argv: latency in ms. IPC: `ready` with the URL,
 * then `stats` on request.
 */
import { startSmsSimulator } from '../../src/sandbox/sms-simulator.js'

const sim = await startSmsSimulator({ latencyMs: Number(process.argv[2] ?? 0) })
process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') process.send!({ type: 'stats', stats: sim.stats })
  if (m.type === 'close') void sim.close().then(() => process.exit(0))
})
process.send!({ type: 'ready', url: sim.url })
