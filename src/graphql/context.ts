import type { Db, Tx } from '../db/client.js'
import type { Principal } from '../platform/auth.js'
import { inScope } from '../platform/request-context.js'

declare module 'mercurius' {
  interface MercuriusContext {
    principal: Principal
    db: Db
    requestId: string
  }
}

export interface GraphqlScope {
  principal: Principal
  db: Db
}

/** Resolvers read through the same scoped transaction as REST routes. */
export function read<T>(ctx: GraphqlScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope(ctx.db, ctx.principal, fn)
}
