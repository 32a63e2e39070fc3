import type { Action, WorkflowConfig } from '../config/collections.js'
import type { AssociationModel, CollectionModel } from './model.js'

/** One entry of `?triggerWorkflows=k1,k2!assoc`. */
export interface TriggerKey {
  key: string
  association?: string
}

export interface ResolvedTrigger {
  workflow: WorkflowConfig
  association?: AssociationModel
}

const ENTRY = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})(?:!([A-Za-z][A-Za-z0-9_]{0,62}))?$/

export function parseTriggerWorkflows (param: unknown): { keys: TriggerKey[], problems: string[] } {
  if (param === undefined || param === '') return { keys: [], problems: [] }
  if (typeof param !== 'string') return { keys: [], problems: ['triggerWorkflows: must be given once, as key1,key2!association'] }
  const keys: TriggerKey[] = []
  const problems: string[] = []
  for (const entry of param.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = ENTRY.exec(entry)
    if (match === null) problems.push(`triggerWorkflows: "${entry}" is not a workflow key (or key!association)`)
    else keys.push(match[2] === undefined ? { key: match[1] } : { key: match[1], association: match[2] })
  }
  return { keys, problems }
}

/**
 * Every named workflow must exist, be enabled, and be bound to the collection and action it
 * would run for (for `k!assoc`, the association's collection, on create).
 */
export function resolveTriggers (keys: TriggerKey[], model: CollectionModel, action: Action, workflows: ReadonlyMap<string, WorkflowConfig>): { triggers: ResolvedTrigger[], problems: string[] } {
  const triggers: ResolvedTrigger[] = []
  const problems: string[] = []
  for (const { key, association: associationName } of keys) {
    const label = associationName === undefined ? key : `${key}!${associationName}`
    const workflow = workflows.get(key)
    if (workflow === undefined) {
      problems.push(`triggerWorkflows: "${key}" is not a configured workflow`)
      continue
    }
    if (!workflow.enabled) {
      problems.push(`triggerWorkflows: "${key}" is disabled`)
      continue
    }
    let association: AssociationModel | undefined
    let collection = model.name
    let on: Action = action
    if (associationName !== undefined) {
      association = model.associations.get(associationName)
      if (association === undefined) {
        problems.push(`triggerWorkflows: "${label}": "${model.name}" has no association "${associationName}"`)
        continue
      }
      collection = association.target
      on = 'create'
      if (action !== 'create') {
        problems.push(`triggerWorkflows: "${label}": related records are created by :create only`)
        continue
      }
    }
    if (workflow.collection !== collection) problems.push(`triggerWorkflows: "${label}" is bound to collection "${workflow.collection}", not "${collection}"`)
    else if (workflow.on !== on) problems.push(`triggerWorkflows: "${label}" runs on ${workflow.on}, not on ${on}`)
    else triggers.push(association === undefined ? { workflow } : { workflow, association })
  }
  return { triggers, problems }
}
