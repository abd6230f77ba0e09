import { and, asc, eq, lt, sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { seal, unseal } from '../../shared/secret-box.js'
import type { Channel } from '../engine/scenario-definition.js'
import type { ConnectionContext, PostalAddress, SenderIdentity } from './channel-driver.js'
import { channelConnections } from './connections.tables.js'
import type { ConnectionDto, CreateConnectionInput, UpdateConnectionInput } from './connections.schema.js'
import { DriverError } from './channel-driver.js'
import { subscribePrintMailCallbacks } from './drivers/print-mail/index.js'
import type { DriverRegistry } from './registry.js'

type Row = typeof channelConnections.$inferSelect
type SenderInput = CreateConnectionInput['sender']

export interface ConnectionDeps {
  secretKey: Buffer
  registry: DriverRegistry
  /** Where providers reach Relance (RELANCE_PUBLIC_URL): callbacks are subscribed under it. */
  publicUrl?: string
}

const hint = (value: string) => `••••${value.slice(-4)}`

function toSender(input: SenderInput): SenderIdentity {
  const address: PostalAddress | undefined = input.postal_address && { ...input.postal_address }
  return { name: input.name, email: input.email, phone: input.phone, postalAddress: address, registrationId: input.registration_id }
}

function toDto(row: Row): ConnectionDto {
  const s = row.sender
  return {
    object: 'channel_connection',
    id: row.connectionId,
    name: row.name,
    driver: row.driver,
    channels: row.channels as Channel[],
    mode: row.mode,
    credentials: row.credentialHints,
    settings: row.settings,
    sender: {
      name: s.name,
      ...(s.email && { email: s.email }),
      ...(s.phone && { phone: s.phone }),
      ...(s.postalAddress && { postal_address: s.postalAddress }),
      ...(s.registrationId && { registration_id: s.registrationId }),
    },
    enabled: row.enabled,
    external_ref: row.externalRef,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

function checkDriver(deps: ConnectionDeps, driverName: string, channels: readonly Channel[]): void {
  const driver = deps.registry.get(driverName)
  if (!driver) {
    throw new AppError('validation_failed', `No channel driver named ${driverName}`, [
      { path: 'body.driver', message: `Must be one of ${deps.registry.names().join(', ')}` },
    ])
  }
  const unsupported = channels.filter((c) => !driver.channels.includes(c))
  if (unsupported.length) {
    throw new AppError('validation_failed', `Driver ${driverName} cannot send ${unsupported.join(', ')}`, [
      { path: 'body.channels', message: `${driverName} sends ${driver.channels.join(', ')}` },
    ])
  }
}

export async function createConnection(tx: Tx, principal: Principal, deps: ConnectionDeps, input: CreateConnectionInput): Promise<ConnectionDto> {
  const tenantId = requireTenant(principal)
  checkDriver(deps, input.driver, input.channels)
  const row = await uniqueExternalRef('channel connection', input.external_ref, async () => {
    const [created] = await tx
      .insert(channelConnections)
      .values({
        tenantId,
        connectionId: newId('channelConnection'),
        name: input.name,
        driver: input.driver,
        channels: input.channels,
        mode: input.mode,
        credentialsSealed: seal(deps.secretKey, JSON.stringify(input.credentials)),
        credentialHints: Object.fromEntries(Object.entries(input.credentials).map(([k, v]) => [k, hint(v)])),
        settings: input.settings,
        sender: toSender(input.sender),
        enabled: input.enabled,
        externalRef: input.external_ref ?? null,
        metadata: input.metadata ?? {},
      })
      .returning()
    return created!
  })
  await subscribeCallbacks(deps, row)
  return toDto(row)
}

/** The URL a provider calls for this connection's events (handled by the dispatch module). */
export const callbackUrlFor = (publicUrl: string, connectionId: string) => `${publicUrl.replace(/\/$/, '')}/v1/channel-callbacks/${connectionId}`

/**
 * Maileva-style providers only call back the URLs registered at their notification center: a new
 * print-mail connection subscribes there, inside the creating transaction, so a provider that
 * refuses leaves no connection half set up. Without RELANCE_PUBLIC_URL nothing can be registered
 * and the `proofs.poll` job alone follows the letters.
 */
async function subscribeCallbacks(deps: ConnectionDeps, row: Row): Promise<void> {
  if (row.driver !== 'print-mail' || !deps.publicUrl || !row.enabled) return
  try {
    await subscribePrintMailCallbacks(toContext(row, deps.secretKey), callbackUrlFor(deps.publicUrl, row.connectionId))
  } catch (error) {
    if (!(error instanceof DriverError)) throw error
    throw new AppError('unprocessable', `The provider refused the callback subscription: ${error.message}`, [
      { path: 'body.credentials', message: error.providerCode ?? error.kind },
    ])
  }
}

async function findRow(tx: Tx, tenantId: string, connectionId: string): Promise<Row> {
  const [row] = await tx
    .select()
    .from(channelConnections)
    .where(and(eq(channelConnections.tenantId, tenantId), eq(channelConnections.connectionId, connectionId)))
  if (!row) throw notFound('channel connection', connectionId)
  return row
}

export async function getConnection(tx: Tx, principal: Principal, connectionId: string): Promise<ConnectionDto> {
  return toDto(await findRow(tx, requireTenant(principal), connectionId))
}

export async function listConnections(tx: Tx, principal: Principal, query: { limit: number; starting_after?: string }) {
  const tenantId = requireTenant(principal)
  const rows = await tx
    .select()
    .from(channelConnections)
    .where(
      and(
        eq(channelConnections.tenantId, tenantId),
        query.starting_after ? lt(channelConnections.connectionId, query.starting_after) : undefined,
      ),
    )
    .orderBy(sql`${channelConnections.connectionId} desc`)
    .limit(query.limit + 1)
  return page(rows.map(toDto), query.limit)
}

export async function updateConnection(
  tx: Tx,
  principal: Principal,
  deps: ConnectionDeps,
  connectionId: string,
  input: UpdateConnectionInput,
): Promise<ConnectionDto> {
  const tenantId = requireTenant(principal)
  const current = await findRow(tx, tenantId, connectionId)
  if (input.channels) checkDriver(deps, current.driver, input.channels)
  const [row] = await tx
    .update(channelConnections)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.channels !== undefined && { channels: input.channels }),
      ...(input.credentials !== undefined && {
        credentialsSealed: seal(deps.secretKey, JSON.stringify(input.credentials)),
        credentialHints: Object.fromEntries(Object.entries(input.credentials).map(([k, v]) => [k, hint(v)])),
      }),
      ...(input.settings !== undefined && { settings: input.settings }),
      ...(input.sender !== undefined && { sender: toSender(input.sender) }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
      updatedAt: new Date(),
    })
    .where(and(eq(channelConnections.tenantId, tenantId), eq(channelConnections.connectionId, connectionId)))
    .returning()
  return toDto(row!)
}

export async function deleteConnection(tx: Tx, principal: Principal, connectionId: string): Promise<ConnectionDto> {
  const tenantId = requireTenant(principal)
  const row = await findRow(tx, tenantId, connectionId)
  await tx.delete(channelConnections).where(and(eq(channelConnections.tenantId, tenantId), eq(channelConnections.connectionId, connectionId)))
  return toDto(row)
}

export function toContext(row: Row, secretKey: Buffer): ConnectionContext {
  return {
    connectionId: row.connectionId,
    tenantId: row.tenantId,
    driver: row.driver,
    mode: row.mode,
    credentials: JSON.parse(unseal(secretKey, row.credentialsSealed)) as Record<string, string>,
    settings: row.settings,
    sender: row.sender,
  }
}

/** Several tenants' enabled connections in one statement (the dispatch loop, per batch), oldest first. */
export async function connectionsForTenants(tx: Tx, tenantIds: string[]): Promise<Row[]> {
  if (!tenantIds.length) return []
  return tx
    .select()
    .from(channelConnections)
    .where(and(sql`${channelConnections.tenantId} = any(${sql.param(tenantIds)}::text[])`, eq(channelConnections.enabled, true)))
    .orderBy(asc(channelConnections.connectionId))
}

/** A callback names its connection; the id alone finds it, across tenants (the caller is a provider). */
export async function findConnectionById(tx: Tx, connectionId: string): Promise<Row | undefined> {
  const [row] = await tx.select().from(channelConnections).where(eq(channelConnections.connectionId, connectionId))
  return row
}

export type ConnectionRow = Row
