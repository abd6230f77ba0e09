import { boolean, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { objectColumns, tenantIsolation } from '../../db/columns.js'

/** A creditor company served by an integrator. Its own id is the `tenant_id` of everything it owns. */
export const tenants = pgTable(
  'tenants',
  {
    tenantId: text('tenant_id').primaryKey(),
    name: text('name').notNull(),
    mode: text('mode', { enum: ['live', 'sandbox'] }).notNull(),
    /**
     * Where the creditor is established (ISO 3166-1 alpha-2): the law its claims are computed under
     * (law/countries/registry.ts). FR for every tenant created before the column existed.
     */
    country: text('country').notNull().default('FR'),
    /** Opt-in: emails carry an open pixel and a tracked payment link (evidence the debtor read them). */
    trackingEnabled: boolean('tracking_enabled').notNull().default(false),
    ...objectColumns,
  },
  (t) => [uniqueIndex('tenants_external_ref_key').on(t.externalRef), tenantIsolation('tenants')],
)
