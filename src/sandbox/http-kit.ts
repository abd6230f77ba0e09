/** The little HTTP plumbing both simulators share: a server on loopback, bodies, JSON answers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FaultInjector, FaultRule } from './faults.js'

export interface SimRequest {
  method: string
  url: URL
  headers: IncomingMessage['headers']
  body: Buffer
}

export interface SimResponse {
  status: number
  body: string | Buffer
  contentType?: string
  headers?: Record<string, string>
}

export const json = (status: number, value: unknown): SimResponse => ({ status, body: JSON.stringify(value), contentType: 'application/json' })

/** Multipart or urlencoded form parsing, delegated to the WHATWG Request Node ships with. */
export async function readForm(req: SimRequest): Promise<FormData> {
  const contentType = req.headers['content-type'] ?? 'application/x-www-form-urlencoded'
  return new Request('http://sim.local/', { method: 'POST', headers: { 'content-type': contentType }, body: req.body }).formData()
}

/** A simulator's injected faults (faults.ts) and how its provider words an error answer. */
export interface SimFaults {
  injector: FaultInjector
  answer(rule: FaultRule): SimResponse
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref())

export async function listen(
  handler: (req: SimRequest) => Promise<SimResponse>,
  port = 0,
  latencyMs = 0,
  faults?: SimFaults,
): Promise<{ server: Server; url: string }> {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const req: SimRequest = {
        method: incoming.method ?? 'GET',
        url: new URL(incoming.url ?? '/', 'http://127.0.0.1'),
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      }
      const write = (res: SimResponse) => {
        outgoing.writeHead(res.status, { 'content-type': res.contentType ?? 'text/plain', ...res.headers })
        outgoing.end(res.body)
      }
      const drop = () => incoming.socket.destroy()
      const hold = (ms: number) => {
        const timer = setTimeout(drop, ms).unref()
        outgoing.once('close', () => clearTimeout(timer))
      }
      const handle = async (): Promise<SimResponse> => {
        try {
          return await handler(req)
        } catch (error) {
          return json(500, { error: 'simulator_error', message: (error as Error).message })
        }
      }
      const fault = faults?.injector.pick(req.method, req.url.pathname) ?? null
      const respond = async () => {
        if (latencyMs > 0) await sleep(latencyMs)
        if (!fault) return write(await handle())
        // 'after': the provider did the work; only its answer is lost, late or wrong.
        const processed = fault.when === 'after' ? await handle() : null
        if (fault.kind === 'reset') return drop()
        if (fault.kind === 'hang') return hold(fault.delay_ms ?? 600_000)
        if (fault.kind === 'slow') {
          await sleep(fault.delay_ms ?? 1_000)
          return write(processed ?? (await handle()))
        }
        return write(faults!.answer(fault))
      }
      void respond()
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: bound } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${bound}` }
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
