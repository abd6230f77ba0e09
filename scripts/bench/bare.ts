import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'

// The statement Relance runs for GET /v1/invoices/{id} (invoice, its debtor's kind, its document).
const SELECT_INVOICE = `
  select i.*, d.kind as debtor_kind, doc.sha256 as doc_sha256, doc.filename as doc_filename,
         doc.content_type as doc_content_type, doc.size as doc_size
  from invoices i
  join debtors d on d.tenant_id = i.tenant_id and d.debtor_id = i.debtor_id
  left join invoice_documents doc on doc.tenant_id = i.tenant_id and doc.invoice_id = i.invoice_id
  where i.tenant_id = $1 and i.invoice_id = $2`

/**
 * The `read` baseline: a bare Fastify route, no auth, no schemas, no hooks, serving the same SQL in a
 * transaction with the same set_config, through its own pool of the same size.
 */
export async function startBare(pool: pg.Pool): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  app.get<{ Params: { id: string } }>('/invoices/:id', async (request, reply) => {
    const tenantId = String(request.headers['x-tenant'])
    const client = await pool.connect()
    try {
      // As Relance opens a transaction (src/db/scoped-transaction.ts): begin and the setting in one message.
      await client.query(`begin; select set_config('app.tenant_id', ${pg.escapeLiteral(tenantId)}, true)`)
      const { rows } = await client.query(SELECT_INVOICE, [tenantId, request.params.id])
      await client.query('commit')
      return rows[0] ?? reply.code(404).send({ error: 'not found' })
    } catch (error) {
      await client.query('rollback').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return app
}
