import type { CollectionConfig, FieldType } from '../config/collections.js'

export interface ColumnModel {
  name: string
  type: FieldType
  required: boolean
  /** Set by the server (id, timestamps, foreign keys) rather than by a body. */
  serverOwned: boolean
}

export interface AssociationModel {
  name: string
  type: 'belongsTo' | 'hasMany'
  /** The related collection. */
  target: string
  /** For belongsTo a column of this collection; for hasMany a column of the target. */
  foreignKey: string
}

/** A collection as the server works with it: its columns, links and rules. */
export interface CollectionModel {
  name: string
  /** The SQLite table; prefixed so no collection can collide with hookflow's own tables. */
  table: string
  columns: Map<string, ColumnModel>
  associations: Map<string, AssociationModel>
  strict: boolean
  clientWritable: ReadonlySet<string>
}

export const tableOf = (collection: string): string => `col_${collection}`

/** Resolves the config into models, foreign-key columns included on whichever side holds them. */
export function buildCollectionModels (collections: Record<string, CollectionConfig>): Map<string, CollectionModel> {
  const models = new Map<string, CollectionModel>()
  for (const [name, config] of Object.entries(collections)) {
    const columns = new Map<string, ColumnModel>([
      ['id', { name: 'id', type: 'integer', required: false, serverOwned: true }],
      ['createdAt', { name: 'createdAt', type: 'date', required: false, serverOwned: true }],
      ['updatedAt', { name: 'updatedAt', type: 'date', required: false, serverOwned: true }]
    ])
    for (const [field, spec] of Object.entries(config.fields)) columns.set(field, { name: field, type: spec.type, required: spec.required, serverOwned: false })
    models.set(name, { name, table: tableOf(name), columns, associations: new Map(), strict: config.strict, clientWritable: new Set(config.clientWritable) })
  }
  for (const [name, config] of Object.entries(collections)) {
    const model = models.get(name)!
    for (const [assoc, spec] of Object.entries(config.associations)) {
      const foreignKey = spec.foreignKey ?? (spec.type === 'belongsTo' ? `${assoc}Id` : `${name}Id`)
      model.associations.set(assoc, { name: assoc, type: spec.type, target: spec.collection, foreignKey })
      const holder = spec.type === 'belongsTo' ? model : models.get(spec.collection)
      holder?.columns.set(foreignKey, { name: foreignKey, type: 'integer', required: false, serverOwned: true })
    }
  }
  return models
}
