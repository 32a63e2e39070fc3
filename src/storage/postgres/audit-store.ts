import { toAuditEntry, type AuditRow } from '../audit-store.js'
import type { AuditStore } from '../types.js'
import type { PgPool } from './pool.js'

export function createPgAuditStore (pool: PgPool): AuditStore {
  return {
    async record (entry) {
      await pool.query('INSERT INTO audit_log (at, actor, role, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)',
        [Date.now(), entry.actor, entry.role, entry.action, entry.target ?? null, entry.detail === undefined ? null : JSON.stringify(entry.detail)])
    },
    list: async (limit, beforeId = Number.MAX_SAFE_INTEGER) =>
      (await pool.query<AuditRow>('SELECT * FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2', [beforeId, limit])).rows.map(toAuditEntry)
  }
}
