/** Shared by the driver tests: a real HTTP endpoint that hands provider callbacks to a driver. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  DriverError,
  type ChannelDriver,
  type ConnectionContext,
  type OutgoingMessage,
  type ProviderEvent,
  type Recipient,
} from '../../src/modules/channels/channel-driver.js'

export interface CallbackReceiver {
  url: string
  events: ProviderEvent[]
  /** Status codes we answered, in order. */
  answered: number[]
  close(): Promise<void>
}

/** What Relance's callback route will do: parse with the driver, answer what it says (401 if unauthenticated). */
export async function startCallbackReceiver(driver: ChannelDriver, conn: () => ConnectionContext): Promise<CallbackReceiver> {
  const events: ProviderEvent[] = []
  const answered: number[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://local')
      driver
        .parseCallback(conn(), { headers: req.headers, query: Object.fromEntries(url.searchParams), body: Buffer.concat(chunks) })
        .then(
          (result) => {
            events.push(...result.events)
            return result.reply.statusCode
          },
          (error: unknown) => (error instanceof DriverError && error.kind === 'unauthorized' ? 401 : error instanceof DriverError && error.kind === 'rejected' ? 400 : 503),
        )
        .then((status) => {
          answered.push(status)
          res.writeHead(status).end()
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    events,
    answered,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

let counter = 0
export function dispatchId(): string {
  return `dsp_test${process.pid}${Date.now().toString(36)}${(counter++).toString(36)}`
}

export function message(overrides: Partial<OutgoingMessage> & { recipient: Recipient }): OutgoingMessage {
  return {
    dispatchId: dispatchId(),
    tenantId: 'ten_test',
    channel: 'registered_email',
    subject: 'Mise en demeure de payer',
    html: '<p>Mise en demeure</p>',
    text: 'Mise en demeure',
    attachments: [],
    ...overrides,
  }
}

export const isPdf = (content: Buffer): boolean => content.length > 100 && content.subarray(0, 5).toString('latin1') === '%PDF-'

/** Awaits a DriverError and returns it, so the test can assert the kind and the provider's code. */
export async function driverError(promise: Promise<unknown>): Promise<DriverError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof DriverError) return error
    throw error
  }
  throw new Error('expected a DriverError, got success')
}
