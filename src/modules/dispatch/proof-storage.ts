import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { sha256Hex } from '../../shared/crypto.js'

/** Where a proof's bytes live; each `dispatch_proofs` row names its own, so both kinds can coexist. */
export type ProofStorageKind = 'postgres' | 'filesystem'

/** One place proof files can be kept. */
export interface ProofStore {
  readonly kind: ProofStorageKind
  /** Keeps the bytes; returns what the row itself holds: the bytes (postgres) or null (kept elsewhere). */
  put(tenantId: string, sha256: string, content: Buffer): Promise<Buffer | null>
  /** The bytes of a row whose `content` is null. */
  get(tenantId: string, sha256: string): Promise<Buffer>
}

/** The default: the bytes go in the row, inside the transaction that records the proof. */
export const postgresProofStore: ProofStore = {
  kind: 'postgres',
  put: async (_tenantId, _sha256, content) => content,
  get: async () => {
    throw new Error('a postgres proof keeps its bytes in its row')
  },
}

/**
 * Content-addressed files under `root/<tenant>/<sha256[0:2]>/<sha256>`: the same proof stored twice
 * is one file, and a file is written to a temporary name then renamed, so a crash never leaves half
 * a proof under its final name. Mount object storage (S3 through a FUSE driver, NFS) at `root` to
 * keep proofs out of the database.
 */
export function filesystemProofStore(root: string): ProofStore {
  const fileOf = (tenantId: string, sha256: string) => path.join(root, safeSegment(tenantId), sha256.slice(0, 2), sha256)
  return {
    kind: 'filesystem',
    async put(tenantId, sha256, content) {
      const file = fileOf(tenantId, sha256)
      await mkdir(path.dirname(file), { recursive: true })
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`
      await writeFile(temporary, content, { mode: 0o600 })
      await rename(temporary, file)
      return null
    },
    get: (tenantId, sha256) => readFile(fileOf(tenantId, sha256)),
  }
}

/** Tenant ids are Relance ids (`ten_…`); anything else must not climb out of the root. */
function safeSegment(segment: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw new Error(`unsafe path segment ${JSON.stringify(segment)}`)
  return segment
}

/** The store new proofs go to, and every store rows may already point at. */
export interface ProofStorage {
  writer: ProofStore
  readers: Partial<Record<ProofStorageKind, ProofStore>>
}

export function proofStorage(kind: ProofStorageKind, directory: string): ProofStorage {
  const filesystem = filesystemProofStore(path.resolve(directory))
  return { writer: kind === 'filesystem' ? filesystem : postgresProofStore, readers: { postgres: postgresProofStore, filesystem } }
}

export const defaultProofStorage: ProofStorage = { writer: postgresProofStore, readers: { postgres: postgresProofStore } }

/**
 * A proof's bytes, checked against the sha256 recorded when it was stored: a file changed or lost
 * outside Relance is an error here, never served or put in a dossier as if it were the proof.
 */
export async function proofContent(storage: ProofStorage, row: { tenant_id: string; storage: string; sha256: string; content: Buffer | null }): Promise<Buffer> {
  if (row.content) return row.content
  const store = storage.readers[row.storage as ProofStorageKind]
  if (!store) throw new Error(`proof stored in ${row.storage}, which this server does not read`)
  const content = await store.get(row.tenant_id, row.sha256)
  if (sha256Hex(content) !== row.sha256) throw new Error(`proof ${row.sha256} does not match its recorded sha256`)
  return content
}
