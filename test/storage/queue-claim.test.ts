import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../../src/storage/db.js'
import { migrate } from '../../src/storage/migrate.js'
import { createQueueStore } from '../../src/storage/queue-store.js'
import { createRunStore } from '../../src/storage/run-store.js'

let dir: string | undefined
let db: Db | undefined
afterEach(() => {
  db?.close()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  db = undefined
  dir = undefined
})

async function queueOf (endpoints: string[]) {
  dir = mkdtempSync(join(tmpdir(), 'hookflow-claim-'))
  db = openDb(join(dir, 'db.sqlite'))
  migrate(db)
  const runs = createRunStore(db)
  const ids: number[] = []
  for (const endpoint of endpoints) {
    const id = await runs.allocateId()
    await runs.enqueue({ id, kind: 'webrequest', endpoint, scenario: 's', status: 'queued', async: true, timeoutMs: 1000, input: { n: id }, createdAt: Date.now() })
    ids.push(id)
  }
  return { queue: createQueueStore(db), ids }
}

describe('claiming queued runs (SQLite)', () => {
  it('takes at most `limit` runs, oldest first, with their input', async () => {
    const { queue, ids } = await queueOf(['a', 'a', 'a', 'a', 'a'])
    const now = Date.now()
    const first = await queue.claim(now, now + 1000, 3)
    expect(first.map((run) => run.id).sort((x, y) => x - y)).toEqual(ids.slice(0, 3))
    expect(first.every((run) => run.status === 'running' && run.attempt === 1)).toBe(true)
    expect(first.find((run) => run.id === ids[0])!.input).toEqual({ n: ids[0] })
    const rest = await queue.claim(now, now + 1000, 3)
    expect(rest.map((run) => run.id).sort((x, y) => x - y)).toEqual(ids.slice(3))
    expect(await queue.claim(now, now + 1000, 3)).toEqual([])
  })

  it('merges runs whose lease ran out with queued ones, smallest ids first, within the limit', async () => {
    const { queue, ids } = await queueOf(['a', 'a', 'a', 'a'])
    const now = Date.now()
    // The two oldest are claimed and their lease runs out at now + 10.
    await queue.claim(now, now + 10, 2)
    const later = now + 11
    const taken = await queue.claim(later, later + 1000, 3)
    expect(taken.map((run) => run.id).sort((x, y) => x - y)).toEqual(ids.slice(0, 3))
    const byId = new Map(taken.map((run) => [run.id, run]))
    expect(byId.get(ids[0])!.attempt).toBe(2)
    expect(byId.get(ids[2])!.attempt).toBe(1)
    // A lease still running is not taken.
    const last = await queue.claim(later, later + 1000, 3)
    expect(last.map((run) => run.id)).toEqual([ids[3]])
  })

  it('skips an endpoint that is at its maxConcurrent', async () => {
    const { queue, ids } = await queueOf(['full', 'b', 'full', 'b'])
    const now = Date.now()
    const taken = await queue.claim(now, now + 1000, 10, [{ kind: 'webrequest', endpoint: 'full' }])
    expect(taken.map((run) => run.id).sort((x, y) => x - y)).toEqual([ids[1], ids[3]])
  })
})
