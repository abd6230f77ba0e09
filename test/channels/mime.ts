/**
 * Just enough MIME reading to check what an SMTP server received (mailparser is not installed):
 * headers with RFC 2047 encoded words, multipart bodies, base64 and quoted-printable parts.
 */
export interface MimePart {
  headers: Map<string, string>
  body: Buffer
  parts: MimePart[]
}

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_m, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQp(text.replace(/_/g, ' ')).toString('utf8'),
  )
}

function decodeQp(text: string): Buffer {
  const bytes: number[] = []
  const input = text.replace(/=\r?\n/g, '')
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=' && /^[0-9A-F]{2}$/i.test(input.slice(i + 1, i + 3))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(...Buffer.from(input[i]!, 'utf8'))
  }
  return Buffer.from(bytes)
}

export function parseMime(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const content = raw.slice(split + 4)
  const headers = new Map<string, string>()
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':')
    headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()))
  }
  const type = headers.get('content-type') ?? 'text/plain'
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (type.startsWith('multipart/') && boundary) {
    const chunks = content.split(`--${boundary}`).slice(1, -1)
    return { headers, body: Buffer.alloc(0), parts: chunks.map((c) => parseMime(c.replace(/^\r\n/, ''))) }
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  const body = encoding === 'base64' ? Buffer.from(content.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? decodeQp(content) : Buffer.from(content)
  return { headers, body, parts: [] }
}

/** Every leaf part, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leaves) : [part]
}
