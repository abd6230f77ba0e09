import { connect, type Socket } from 'node:net'

export interface RawAnswer {
  /** Status of the first response on the connection (0: none came). */
  status: number
  headers: Record<string, string>
  body: string
  /** Everything the server sent, for connections carrying several responses. */
  raw: string
  /** From connecting to the server closing the connection (or to `timeoutMs`). */
  ms: number
  closedByServer: boolean
}

function parse(raw: string): Pick<RawAnswer, 'status' | 'headers' | 'body'> {
  const end = raw.indexOf('\r\n\r\n')
  if (end < 0) return { status: 0, headers: {}, body: '' }
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n')
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  const length = Number(headers['content-length'] ?? 0)
  return { status: Number(statusLine!.split(' ')[1]), headers, body: raw.slice(end + 4, end + 4 + length) }
}

/**
 * A client on a raw TCP socket, for what an HTTP library will not do: headers sent a byte at a
 * time, a body that never ends, more header bytes than Node accepts. `talk` writes; the answer
 * resolves when the server closes the connection, or after `timeoutMs` (then `closedByServer` is false).
 */
export function rawExchange(port: number, talk: (socket: Socket) => Promise<void>, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = performance.now()
    const socket = connect(port, '127.0.0.1')
    let raw = ''
    let settled = false
    const finish = (closedByServer: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ ...parse(raw), raw, ms: performance.now() - started, closedByServer })
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (raw += chunk))
    socket.on('error', () => undefined) // EPIPE when writing to a socket the server closed
    socket.on('close', () => finish(true))
    socket.on('connect', () => void talk(socket).catch(() => undefined))
  })
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Writes `text` one byte every `everyMs` while the server keeps the connection open. */
export async function dribble(socket: Socket, text: string, everyMs: number) {
  for (const char of text) {
    if (socket.destroyed || !socket.writable) return
    socket.write(char)
    await sleep(everyMs)
  }
}
