import { z } from 'zod'
import { RetryConfig } from './queue.js'
import { secretAtLeast } from './secret.js'

export const FIELD_TYPES = ['string', 'text', 'integer', 'number', 'boolean', 'date', 'json'] as const
export type FieldType = typeof FIELD_TYPES[number]

export const ACTIONS = ['create', 'update', 'get', 'list', 'destroy'] as const
export type Action = typeof ACTIONS[number]

/** Every record has these; the server sets them. */
export const SERVER_FIELDS = ['id', 'createdAt', 'updatedAt'] as const

/** Names become SQL identifiers (always quoted), so only plain ones are accepted. */
export const Identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'must be a letter followed by up to 62 letters, digits or _')
  .refine((name) => !(SERVER_FIELDS as readonly string[]).includes(name), { message: 'is a field every record already has' })

export const FieldConfig = z.object({
  type: z.enum(FIELD_TYPES),
  required: z.boolean().default(false)
}).strict()

export const AssociationConfig = z.object({
  type: z.enum(['belongsTo', 'hasMany']),
  collection: z.string(),
  /**
   * The column that links the two: on this collection for belongsTo (default `<name>Id`), on the
   * other collection for hasMany (default `<this collection>Id`).
   */
  foreignKey: Identifier.optional()
}).strict()

export const CollectionConfig = z.object({
  fields: z.record(Identifier, FieldConfig),
  associations: z.record(Identifier, AssociationConfig).default({}),
  /** Unknown body keys: refused (true) or dropped (false). */
  strict: z.boolean().default(true),
  /** Server-owned fields (id, createdAt, updatedAt, association keys) a body may set anyway. */
  clientWritable: z.array(z.string()).default([])
}).strict()

export const WorkflowConfig = z.object({
  key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . -'),
  title: z.string().max(200).optional(),
  collection: z.string(),
  on: z.enum(['create', 'update', 'destroy']),
  /** `local`: runs when an action names it; `global`: on every matching action. */
  mode: z.enum(['local', 'global']).default('local'),
  enabled: z.boolean().default(true),
  scenario: z.string(),
  maxConcurrent: z.number().int().min(1).optional(),
  retry: RetryConfig.optional()
}).strict()

export const UserConfig = z.object({
  id: z.string().min(1).max(64),
  token: secretAtLeast(16),
  roles: z.array(z.string().min(1)).min(1)
}).strict()

export const RolesConfig = z.record(z.string().min(1), z.record(z.string(), z.array(z.enum(ACTIONS))))

export type CollectionConfig = z.infer<typeof CollectionConfig>
export type AssociationConfig = z.infer<typeof AssociationConfig>
export type WorkflowConfig = z.infer<typeof WorkflowConfig>
export type UserConfig = z.infer<typeof UserConfig>
export type RolesConfig = z.infer<typeof RolesConfig>
