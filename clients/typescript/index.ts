/**
 * A thin, typed fetch wrapper over the Relance REST API. Every path, parameter, body and answer is
 * typed from `schema.d.ts`, which `npm run client:generate` writes from openapi/openapi.json: a
 * breaking change to the contract is a compile error in the code that uses it.
 *
 *   const relance = createClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'rl_test_…' })
 *   const debtor = await relance.get('/v1/debtors/{id}', { path: { id: 'dbt_…' } })
 */
import type { components, paths, webhooks } from './schema.js'

export type { components, paths, webhooks }
export type Schemas = components['schemas']
export type Problem = Schemas['Problem']

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
/** The paths that have this method. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P
}[keyof paths]
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>

type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? Q : never
type BodyOf<RB> = [RB] extends [never] ? never : RB extends { content: { 'application/json': infer B } } ? B : never
type JsonBody<O> = O extends { requestBody?: infer RB } ? BodyOf<NonNullable<RB>> : never
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : R extends { content?: never } ? undefined : unknown
/** The JSON of the 2xx answers of an operation. */
export type Success<O> = O extends { responses: infer R } ? { [S in keyof R]: S extends 200 | 201 | 202 | 204 ? JsonOf<R[S]> : never }[keyof R] : never

export type RequestOptions<O> = ([PathParams<O>] extends [never] ? { path?: undefined } : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never] ? { query?: undefined } : { query?: QueryParams<O> }) &
  ([JsonBody<O>] extends [never] ? { body?: undefined } : { body: JsonBody<O> }) & {
    /** Safe retries of a POST: the same key answers the first result again. */
    idempotencyKey?: string
    headers?: Record<string, string>
  }

/** When every field is optional, the options argument may be left out. */
type Args<O> = Record<string, never> extends RequestOptions<O> ? [options?: RequestOptions<O>] : [options: RequestOptions<O>]

/** A problem+json answer (RFC 9457), thrown by every call that does not succeed. */
export class RelanceError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`)
    this.name = 'RelanceError'
  }
}

/** What each bulk endpoint takes: the single-create body, with the external_ref it upserts on. */
export interface BulkLines {
  debtors: Schemas['CreateDebtorInput'] & { external_ref: string }
  invoices: Schemas['CreateInvoiceInput'] & { external_ref: string }
  payments: Schemas['CreatePaymentInput'] & { external_ref: string }
}

export interface ClientOptions {
  baseUrl: string
  apiKey: string
  /** A platform key acts for one tenant with this header. */
  tenant?: string
  fetch?: typeof fetch
}

function fillPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params?.[name] ?? '')))
}

function queryString(query: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null) search.set(name, String(value))
  const text = search.toString()
  return text ? `?${text}` : ''
}

export function createClient(options: ClientOptions) {
  const doFetch = options.fetch ?? fetch
  const base = options.baseUrl.replace(/\/$/, '')

  async function call(method: Method, template: string, opts: RequestOptions<unknown> | undefined, raw?: { body: string; type: string }) {
    const o = (opts ?? {}) as { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; idempotencyKey?: string; headers?: Record<string, string> }
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: 'application/json', ...o.headers }
    if (options.tenant) headers['relance-tenant'] = options.tenant
    if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey
    let body: string | undefined = raw?.body
    if (raw) headers['content-type'] = raw.type
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body)
      headers['content-type'] = 'application/json'
    }
    const res = await doFetch(`${base}${fillPath(template, o.path)}${queryString(o.query)}`, { method: method.toUpperCase(), headers, body })
    const type = res.headers.get('content-type') ?? ''
    const payload: unknown = res.status === 204 ? undefined : type.includes('json') ? await res.json() : await res.text()
    if (!res.ok) {
      const problem = (typeof payload === 'object' && payload !== null && 'code' in payload ? payload : { type: 'about:blank', title: res.statusText, status: res.status, detail: String(payload), code: 'internal', request_id: res.headers.get('request-id') ?? '' }) as Problem
      throw new RelanceError(res.status, problem)
    }
    return payload
  }

  return {
    get: <P extends PathsWith<'get'>>(path: P, ...[opts]: Args<Op<P, 'get'>>) => call('get', path, opts as RequestOptions<unknown>) as Promise<Success<Op<P, 'get'>>>,
    post: <P extends PathsWith<'post'>>(path: P, ...[opts]: Args<Op<P, 'post'>>) => call('post', path, opts as RequestOptions<unknown>) as Promise<Success<Op<P, 'post'>>>,
    patch: <P extends PathsWith<'patch'>>(path: P, ...[opts]: Args<Op<P, 'patch'>>) => call('patch', path, opts as RequestOptions<unknown>) as Promise<Success<Op<P, 'patch'>>>,
    delete: <P extends PathsWith<'delete'>>(path: P, ...[opts]: Args<Op<P, 'delete'>>) => call('delete', path, opts as RequestOptions<unknown>) as Promise<Success<Op<P, 'delete'>>>,
    /** Upserts up to 10,000 lines at once as NDJSON (larger files become an import job: 202). */
    bulk: <K extends keyof BulkLines>(kind: K, lines: BulkLines[K][], opts: { idempotencyKey?: string } = {}) =>
      call('post', `/v1/${kind}/bulk`, opts, { body: lines.map((l) => JSON.stringify(l)).join('\n'), type: 'application/x-ndjson' }) as Promise<
        Schemas['BulkResult'] | Schemas['Import']
      >,
  }
}

export type RelanceClient = ReturnType<typeof createClient>

/** A webhook delivery body, by event type: `switch (event.type)` narrows `data.object`. */
export type RelanceEvent = {
  [K in keyof webhooks]: NonNullable<webhooks[K]['post']> extends { requestBody: { content: { 'application/json': infer B } } } ? B : never
}[keyof webhooks]
