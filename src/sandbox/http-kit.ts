/** The little HTTP plumbing both simulators share: a server on loopback, bodies, JSON answers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

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

export async function listen(
  handler: (req: SimRequest) => Promise<SimResponse>,
  port = 0,
  latencyMs = 0,
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
      const answer = async (): Promise<SimResponse> => {
        if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs))
        try {
          return await handler(req)
        } catch (error) {
          return json(500, { error: 'simulator_error', message: (error as Error).message })
        }
      }
      void answer().then((res) => {
        outgoing.writeHead(res.status, { 'content-type': res.contentType ?? 'text/plain', ...res.headers })
        outgoing.end(res.body)
      })
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
