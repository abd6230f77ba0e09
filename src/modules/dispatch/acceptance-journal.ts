import { sql } from 'drizzle-orm'
import { withSystem, type Db } from '../../db/client.js'

export interface Acceptance {
  tenantId: string
  dispatchId: string
  driver: string
  providerRef: string
}

/**
 * Writes down, within milliseconds, that a provider accepted a dispatch: its `provider_ref` is set
 * while the row is still `sending`, long before the batch is recorded. A worker killed in between
 * leaves the row `sending` with its reference, and the next claim sends nothing again even through
 * a provider that cannot be asked (SMTP, SMS gateways): without it, the kill -9 chaos run saw
 * every email of the batch in flight delivered twice. Group commit: what was accepted while one
 * write ran goes in the next one, so the cost is one statement per flush, whatever the throughput.
 * A kill between the provider's answer and that write still sends again (with the same Message-ID).
 */
export class AcceptanceJournal {
  private pending: Acceptance[] = []
  private flushing: Promise<void> | null = null

  constructor(private readonly db: Db) {}

  note(acceptance: Acceptance): void {
    this.pending.push(acceptance)
    this.flushing ??= this.flushLoop()
  }

  /** Waits for every acceptance noted so far to be written (or to have failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending
        this.pending = []
        // A failed write loses only the shortcut: the batch's record still says what was sent.
        await this.write(batch).catch(() => undefined)
      }
    } finally {
      this.flushing = null
    }
  }

  private async write(batch: Acceptance[]): Promise<void> {
    const col = <T>(pick: (a: Acceptance) => T) => sql.param(batch.map(pick))
    await withSystem(this.db, (tx) =>
      tx.execute(sql`
        update dispatches s set provider_ref = j.provider_ref, driver = j.driver, updated_at = now()
        from unnest(${col((a) => a.tenantId)}::text[], ${col((a) => a.dispatchId)}::text[], ${col((a) => a.driver)}::text[],
                    ${col((a) => a.providerRef)}::text[]) as j(tenant_id, dispatch_id, driver, provider_ref)
        where s.tenant_id = j.tenant_id and s.dispatch_id = j.dispatch_id and s.status = 'sending'`),
    )
  }
}
