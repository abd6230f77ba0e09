/**
 * An ERP's side of a Relance integration, with the typed client (clients/typescript): push debtors
 * and invoices in bulk, record a payment, receive webhooks and verify each with `standardwebhooks`.
 *
 *   RELANCE_URL=http://127.0.0.1:3000 RELANCE_API_KEY=rl_test_… node --import tsx examples/erp-integration.ts
 * (the webhook URL must be reachable by Relance; on loopback set RELANCE_WEBHOOK_ALLOWED_CIDRS=127.0.0.1/32)
 */
import { createServer, type Server } from 'node:http'
import { Webhook } from 'standardwebhooks'
import { createClient, type RelanceClient, type RelanceEvent } from '../clients/typescript/index.js'

/** Nightly sync: bulk endpoints upsert on your own references, so re-sending the same file is harmless. */
export async function pushLedger(relance: RelanceClient) {
  await relance.bulk('debtors', [
    { external_ref: 'C-1001', kind: 'business', name: 'Dupont SARL', country: 'FR', siren: '732829320', segment: 'pme',
      contacts: [{ name: 'Marie Dupont', email: 'marie@dupont.test', phone: '+33612345678' }],
      address: { lines: ['12 rue des Lilas'], postcode: '75011', city: 'Paris', country: 'FR' } },
    { external_ref: 'C-1002', kind: 'consumer', name: 'Jean Petit', country: 'FR', contacts: [{ email: 'jean@petit.test' }] },
  ])
  return relance.bulk('invoices', [
    { external_ref: 'F-2026-0001', debtor_external_ref: 'C-1001', number: 'F-2026-0001', currency: 'EUR', amount_total: 120_000, amount_tax: 20_000, issue_date: '2026-01-05', due_date: '2026-02-04' },
    { external_ref: 'F-2026-0002', debtor_external_ref: 'C-1002', number: 'F-2026-0002', currency: 'EUR', amount_total: 8_990, issue_date: '2026-01-12', due_date: '2026-01-27' },
  ])
}

/** A bank statement line: Relance applies it to the debtor's oldest open invoices. */
export function recordPayment(relance: RelanceClient) {
  return relance.post('/v1/payments', {
    body: { debtor_external_ref: 'C-1001', amount: 120_000, currency: 'EUR', received_on: '2026-02-10', method: 'transfer', external_ref: 'BANK-2026-0210-1' },
    idempotencyKey: 'BANK-2026-0210-1', // a retry after a timeout records it once
  })
}

/** Receives webhooks on `port`; verifies the signature over the raw body before trusting anything. */
export function receiveWebhooks(secret: string, onEvent: (event: RelanceEvent) => void, port = 0): Promise<Server> {
  const verifier = new Webhook(secret)
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      try {
        onEvent(verifier.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>) as RelanceEvent)
        res.writeHead(204).end()
      } catch {
        res.writeHead(400).end() // bad signature or stale timestamp: Relance retries, an attacker gets nothing
      }
    })
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}

/** Registers the receiver; the endpoint secret is in this answer only. */
export async function subscribe(relance: RelanceClient, url: string) {
  const endpoint = await relance.post('/v1/webhook-endpoints', { body: { url, enabled_events: ['invoice.paid', 'dispatch.sent', 'case.escalated'] } })
  return endpoint.secret!
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const relance = createClient({ baseUrl: process.env.RELANCE_URL ?? 'http://127.0.0.1:3000', apiKey: process.env.RELANCE_API_KEY ?? '' })
  const port = Number(process.env.ERP_WEBHOOK_PORT ?? 8787)
  const secret = await subscribe(relance, `http://127.0.0.1:${port}/relance`)
  await receiveWebhooks(secret, (event) => console.log(`${event.type} ${event.id}`), port)
  console.log(await pushLedger(relance), await recordPayment(relance))
  console.log(`listening for webhooks on port ${port}; Ctrl-C to stop`)
}
