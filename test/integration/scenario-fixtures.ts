import type { InjectOptions } from 'fastify'
import { bearer, systemQuery, type TestApp } from '../helper.js'

/** A two-step definition as a caller would write it (defaults left out). */
export function definition(offsets: [number, number] = [3, 10], template = 'reminder') {
  return {
    steps: [
      { key: 'first', offset_days: offsets[0], channels: [{ channel: 'email', template }] },
      { key: 'second', offset_days: offsets[1], channels: [{ channel: 'letter', template: `${template}_letter` }] },
    ],
  }
}

export function scenarioBody(overrides: Record<string, unknown> = {}) {
  return { name: 'Gentle', language: 'fr', definition: definition(), ...overrides }
}

/** Requests as one tenant key; every answer is returned as is, tests assert on status and body. */
export function api(ctx: TestApp, key: string) {
  const send = (method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    ctx.inject({ method, url, headers: { ...bearer(key), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) })
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload?: unknown, headers?: Record<string, string>) => send('POST', url, payload, headers),
    patch: (url: string, payload: unknown, headers?: Record<string, string>) => send('PATCH', url, payload, headers),
    delete: (url: string) => send('DELETE', url),
    gql: (query: string, variables: Record<string, unknown> = {}) => send('POST', '/graphql', { query, variables }),
  }
}

export async function createScenario(ctx: TestApp, key: string, overrides: Record<string, unknown> = {}) {
  const res = await api(ctx, key).post('/v1/scenarios', scenarioBody(overrides))
  if (res.statusCode !== 201) throw new Error(`scenario creation failed: ${res.body}`)
  return res.json<{ id: string; version: number; is_default: boolean }>()
}

export async function count(ctx: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await systemQuery<{ n: string }>(ctx.database, sql, params)
  return Number(row!.n)
}
