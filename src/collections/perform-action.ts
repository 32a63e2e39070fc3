import { randomUUID } from 'node:crypto'
import type { Action, WorkflowConfig } from '../config/collections.js'
import type { NewRun } from '../runs/types.js'
import { step } from '../storage/tx-work.js'
import type { CollectionRecord, CollectionStore, CollectionTx, RunStore, TxWork } from '../storage/types.js'
import type { CollectionModel } from './model.js'
import { resolveTriggers, type ResolvedTrigger, type TriggerKey } from './triggers.js'
import { validateBody, type ValidBody } from './validate-values.js'

/** A refused action: its status and every problem, each naming what is wrong. */
export class ActionError extends Error {
  constructor (readonly status: number, readonly problems: string[]) {
    super(problems.join('; '))
    this.name = 'ActionError'
  }
}

export interface ActionDeps {
  models: ReadonlyMap<string, CollectionModel>
  store: CollectionStore
  runs: RunStore
  workflows: ReadonlyMap<string, WorkflowConfig>
  timeoutOf: (scenario: string) => number
  /** Tells the queue worker that committed workflow runs wait. */
  wake: () => void
  /** Whether the run queue is too full to take more. */
  queueFull: () => Promise<boolean>
}

export interface ActionRequest {
  collection: string
  action: Action
  body?: unknown
  filterByTk?: unknown
  list?: { page: number, pageSize: number, filter?: Record<string, unknown>, sort?: string }
  /** Workflows the caller names. */
  triggers: TriggerKey[]
  /** Also run the collection's global workflows (requests always; `record` steps when they ask). */
  globals: boolean
  actor: { userId: string | null, role: string | null }
  /** For runs started from a scenario: its run id and emit depth. */
  parent?: { runId: number, depth: number }
}

export type ActionResult =
  | { data: CollectionRecord }
  | { data: CollectionRecord[], meta: { count: number, page: number, pageSize: number, totalPage: number } }

/** Where a workflow run's record comes from: the action's record, or a related one it created. */
type Target = { workflow: WorkflowConfig, from: 'main' } | { workflow: WorkflowConfig, from: { association: string, index: number } }

function planTargets (deps: ActionDeps, model: CollectionModel, action: Action, triggers: ResolvedTrigger[], body: ValidBody | undefined, globals: boolean): Target[] {
  const targets: Target[] = []
  const onMain = new Set<string>()
  for (const { workflow, association } of triggers) {
    if (association === undefined) {
      if (!onMain.has(workflow.key)) targets.push({ workflow, from: 'main' })
      onMain.add(workflow.key)
      continue
    }
    body?.nested.get(association.name)?.items.forEach((_item, index) => targets.push({ workflow, from: { association: association.name, index } }))
  }
  if (!globals) return targets
  for (const workflow of deps.workflows.values()) {
    if (workflow.mode !== 'global' || !workflow.enabled) continue
    if (workflow.collection === model.name && workflow.on === action && !onMain.has(workflow.key)) targets.push({ workflow, from: 'main' })
    // Creating a related record is a create in its own collection.
    for (const [name, { association, items }] of body?.nested ?? []) {
      if (workflow.collection !== association.target || workflow.on !== 'create') continue
      const named = triggers.some((trigger) => trigger.workflow.key === workflow.key && trigger.association?.name === name)
      items.forEach((item, index) => { if ('values' in item && !named) targets.push({ workflow, from: { association: name, index } }) })
    }
  }
  return targets
}

function recordId (value: unknown): number {
  const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (!Number.isSafeInteger(id) || (id as number) < 1) throw new ActionError(400, ['filterByTk: must be the id of a record (a positive integer)'])
  return id as number
}

/** Writes a record with its related records; returns the related ones by association. */
function * create (deps: ActionDeps, tx: CollectionTx, model: CollectionModel, body: ValidBody): TxWork<{ record: CollectionRecord, related: Map<string, CollectionRecord[]> }> {
  const related = new Map<string, CollectionRecord[]>()
  const values = { ...body.values }
  function * linkOrCreate (target: CollectionModel, item: { link: number } | { values: Record<string, unknown> }, label: string, extra: Record<string, unknown>): TxWork<CollectionRecord> {
    if ('values' in item) return yield * step(tx.insert(target, { ...item.values, ...extra }))
    const existing = yield * step(Object.keys(extra).length > 0 ? tx.update(target, item.link, extra) : tx.get(target, item.link))
    if (existing === undefined) throw new ActionError(400, [`${label}: "${target.name}" has no record ${item.link}`])
    return existing
  }
  for (const [name, { association, items }] of body.nested) {
    if (association.type !== 'belongsTo') continue
    const parent = yield * linkOrCreate(deps.models.get(association.target)!, items[0], `${name}.id`, {})
    values[association.foreignKey] = parent.id
    related.set(name, [parent])
  }
  const record = yield * step(tx.insert(model, values))
  for (const [name, { association, items }] of body.nested) {
    if (association.type !== 'hasMany') continue
    const target = deps.models.get(association.target)!
    const created: CollectionRecord[] = []
    for (const [i, item] of items.entries()) created.push(yield * linkOrCreate(target, item, `${name}[${i}].id`, { [association.foreignKey]: record.id }))
    related.set(name, created)
  }
  return { record, related }
}

/**
 * One collection action, all or nothing: the record, its related records and the workflow runs
 * it triggers commit in one transaction; the runs start only after the commit, and only if every
 * named workflow was valid.
 */
export async function performAction (deps: ActionDeps, request: ActionRequest): Promise<ActionResult> {
  const model = deps.models.get(request.collection)
  if (model === undefined) throw new ActionError(404, [`unknown collection "${request.collection}"`])
  const { action } = request

  let body: ValidBody | undefined
  if (action === 'create' || action === 'update') {
    const checked = validateBody(deps.models, model, request.body, action)
    if (checked.body === undefined) throw new ActionError(400, checked.problems)
    body = checked.body
  }
  const { triggers, problems } = resolveTriggers(request.triggers, model, action, deps.workflows)
  if (problems.length > 0) throw new ActionError(400, problems)
  const id = action === 'update' || action === 'get' || action === 'destroy' ? recordId(request.filterByTk) : 0

  if (action === 'list') {
    const query = request.list ?? { page: 1, pageSize: 20 }
    const { rows, count } = await deps.store.atomically(function * (tx) { return yield * step(tx.list(model, query)) })
    return { data: rows, meta: { count, page: query.page, pageSize: query.pageSize, totalPage: Math.ceil(count / query.pageSize) } }
  }

  const targets = action === 'get' ? [] : planTargets(deps, model, action, triggers, body, request.globals)
  if (targets.length > 0 && await deps.queueFull()) throw new ActionError(503, ['the run queue is full: try again later'])
  const runIds = await Promise.all(targets.map(async () => await deps.runs.allocateId()))
  const depth = request.parent === undefined ? 0 : request.parent.depth + 1

  const { record, runs } = await deps.store.atomically(function * (tx) {
    let record: CollectionRecord | undefined
    let related = new Map<string, CollectionRecord[]>()
    if (action === 'create') ({ record, related } = yield * create(deps, tx, model, body!))
    else if (action === 'update') record = yield * step(tx.update(model, id, body!.values))
    else if (action === 'get') record = yield * step(tx.get(model, id))
    else record = yield * step(tx.destroy(model, id))
    if (record === undefined) throw new ActionError(404, [`${model.name} ${id} not found`])

    const runs: NewRun[] = []
    for (const [i, target] of targets.entries()) {
      const data = target.from === 'main' ? record! : related.get(target.from.association)![target.from.index]
      const collection = target.from === 'main' ? model.name : target.workflow.collection
      const run: NewRun = {
        id: runIds[i],
        kind: 'workflow',
        endpoint: target.workflow.key,
        scenario: target.workflow.scenario,
        status: 'queued',
        async: true,
        timeoutMs: deps.timeoutOf(target.workflow.scenario),
        parentRunId: request.parent?.runId,
        depth,
        retry: target.workflow.retry,
        input: {
          data,
          collection,
          action: target.from === 'main' ? action : 'create',
          user: { id: request.actor.userId },
          role: request.actor.role,
          event: { id: randomUUID(), type: '$collectionAction', workflowKey: target.workflow.key }
        },
        createdAt: Date.now()
      }
      yield * step(tx.insertRun(run))
      runs.push(run)
    }
    return { record, runs }
  })
  if (runs.length > 0) deps.wake()
  return { data: record }
}
