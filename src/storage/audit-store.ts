import type { Db } from './db.js'
import type { AuditEntry, AuditStore } from './types.js'

export type { AuditEntry, AuditStore } from './types.js'

export interface AuditRow { id: number, at: number, actor: string, role: string, action: string, target: string | null, detail: string | null }

export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  ...row,
  at: new Date(row.at).toISOString(),
  detail: row.detail === null ? null : JSON.parse(row.detail)
})

/** The audit log of acting admin calls (replay, cancel, reload). */
export function createAuditStore (db: Db): AuditStore {
  const insert = db.prepare('INSERT INTO audit_log (at, actor, role, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)')
  const page = db.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')

  return {
    record: async (entry: { actor: string, role: string, action: string, target?: string, detail?: unknown }): Promise<void> => {
      insert.run(Date.now(), entry.actor, entry.role, entry.action, entry.target ?? null, entry.detail === undefined ? null : JSON.stringify(entry.detail))
    },
    /** Newest first, below `beforeId` when given. */
    list: async (limit: number, beforeId = Number.MAX_SAFE_INTEGER): Promise<AuditEntry[]> =>
      (page.all(beforeId, limit) as AuditRow[]).map(toAuditEntry)
  }
}

