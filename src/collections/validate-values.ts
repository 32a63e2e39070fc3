import type { FieldType } from '../config/collections.js'
import type { AssociationModel, CollectionModel } from './model.js'

/** A related record in a body: created from `values`, or linked when it names an existing `id`. */
export type NestedItem = { link: number } | { values: Record<string, unknown> }

export interface ValidBody {
  values: Record<string, unknown>
  nested: Map<string, { association: AssociationModel, items: NestedItem[] }>
}

/** Every problem found, each naming its field; empty when the body is good. */
export type Problems = string[]

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

function checkType (type: FieldType, value: unknown): string | undefined {
  switch (type) {
    case 'string': case 'text': return typeof value === 'string' ? undefined : 'must be a string'
    case 'integer': return Number.isSafeInteger(value) ? undefined : 'must be an integer'
    case 'number': return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number'
    case 'boolean': return typeof value === 'boolean' ? undefined : 'must be true or false'
    case 'date': return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'must be a date (ISO 8601)'
    case 'json': return undefined
  }
}

/** Normalises what is stored: dates as ISO 8601 in UTC. */
const normalise = (type: FieldType, value: unknown): unknown =>
  type === 'date' && typeof value === 'string' ? new Date(value).toISOString() : value

function validateFields (model: CollectionModel, body: Record<string, unknown>, mode: 'create' | 'update', prefix: string, problems: Problems): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) {
    const column = model.columns.get(key)
    if (column === undefined) {
      if (!model.associations.has(key) && model.strict) problems.push(`${prefix}${key}: unknown field of "${model.name}"`)
      continue
    }
    if (column.serverOwned && !model.clientWritable.has(key)) {
      problems.push(`${prefix}${key}: is set by the server`)
      continue
    }
    if (value === null) {
      if (column.required) problems.push(`${prefix}${key}: is required`)
      else values[key] = null
      continue
    }
    const wrong = checkType(column.type, value)
    if (wrong !== undefined) problems.push(`${prefix}${key}: ${wrong}`)
    else values[key] = normalise(column.type, value)
  }
  if (mode === 'create') {
    for (const column of model.columns.values()) {
      if (column.required && (body[column.name] === undefined || body[column.name] === null) && !problems.some((p) => p.startsWith(`${prefix}${column.name}:`))) {
        problems.push(`${prefix}${column.name}: is required`)
      }
    }
  }
  return values
}

function nestedItem (target: CollectionModel, item: unknown, label: string, problems: Problems): NestedItem | undefined {
  if (!isObject(item)) {
    problems.push(`${label}: must be an object`)
    return undefined
  }
  if (item.id !== undefined) {
    if (!Number.isSafeInteger(item.id) || (item.id as number) < 1) problems.push(`${label}.id: must be a positive integer`)
    else if (Object.keys(item).length > 1) problems.push(`${label}: to link an existing record send only its id`)
    else return { link: item.id as number }
    return undefined
  }
  for (const key of Object.keys(item)) {
    if (target.associations.has(key)) problems.push(`${label}.${key}: associations nest one level only`)
  }
  return { values: validateFields(target, item, 'create', `${label}.`, problems) }
}

/**
 * Checks a body against a collection: types, required fields, unknown keys (refused, or dropped
 * when the collection is not strict), server-owned fields, and nested association records
 * (create only).
 */
export function validateBody (models: ReadonlyMap<string, CollectionModel>, model: CollectionModel, body: unknown, mode: 'create' | 'update'): { body?: ValidBody, problems: Problems } {
  if (!isObject(body)) return { problems: ['body: must be a JSON object'] }
  const problems: Problems = []
  const values = validateFields(model, body, mode, '', problems)
  const nested: ValidBody['nested'] = new Map()
  for (const [name, association] of model.associations) {
    const given = body[name]
    if (given === undefined) continue
    if (mode !== 'create') {
      problems.push(`${name}: related records can be created with :create only`)
      continue
    }
    const target = models.get(association.target)!
    if (association.type === 'belongsTo') {
      const item = nestedItem(target, given, name, problems)
      if (item !== undefined) nested.set(name, { association, items: [item] })
    } else if (!Array.isArray(given)) {
      problems.push(`${name}: must be an array of "${association.target}" records`)
    } else {
      const items = given.map((item, i) => nestedItem(target, item, `${name}[${i}]`, problems)).filter((item): item is NestedItem => item !== undefined)
      nested.set(name, { association, items })
    }
  }
  return problems.length > 0 ? { problems } : { body: { values, nested }, problems }
}
