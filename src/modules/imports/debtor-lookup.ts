import type { FieldError } from '../../shared/errors.js'

export interface DebtorRef {
  debtor_id: string
  external_ref: string | null
  kind: string
}

export interface DebtorLookup {
  /** The debtor a line names, or the error that names the field it came from. */
  find(input: { debtor_id?: string; debtor_external_ref?: string }): DebtorRef | FieldError
}

/** Indexes the debtors a chunk names (read in one query, by id or external_ref). */
export function debtorLookup(rows: DebtorRef[]): DebtorLookup {
  const byId = new Map<string, DebtorRef>()
  const byRef = new Map<string, DebtorRef>()
  for (const row of rows) {
    byId.set(row.debtor_id, row)
    if (row.external_ref !== null) byRef.set(row.external_ref, row)
  }
  return {
    find(input) {
      const found = input.debtor_id ? byId.get(input.debtor_id) : byRef.get(input.debtor_external_ref ?? '')
      return found ?? { path: debtorPath(input), message: 'No such debtor' }
    },
  }
}

export const debtorPath = (input: { debtor_id?: string }) => (input.debtor_id ? 'debtor_id' : 'debtor_external_ref')
