import { forEachStepAt } from '../runner/walk-steps.js'
import { SERVER_FIELDS } from './collections.js'
import { DEMO_TOKENS, isLoopbackHost } from './demo-tokens.js'
import type { HookflowConfig } from './schema.js'

type Report = (path: PropertyKey[], message: string) => void

/** Checks that span sections: references by name, uniqueness, and demo secrets. */
export function crossCheck (config: HookflowConfig, report: Report): void {
  const scenario = (path: PropertyKey[], name: string): void => {
    if (!(name in config.scenarios)) report(path, `unknown scenario "${name}"`)
  }
  const unique = (path: PropertyKey[], seen: Set<string>, value: string, what: string): void => {
    if (seen.has(value)) report(path, `duplicate ${what} "${value}"`)
    seen.add(value)
  }

  for (const [name, { steps }] of Object.entries(config.scenarios)) {
    forEachStepAt(steps, ['scenarios', name, 'steps'], (step, path) => {
      if (typeof step.emit === 'string') scenario([...path, 'emit'], step.emit)
      const record = step.record as { collection?: unknown } | undefined
      if (typeof record?.collection === 'string' && !(record.collection in config.collections)) {
        report([...path, 'record', 'collection'], `unknown collection "${record.collection}"`)
      }
    })
  }

  if (config.runner.minHosts > config.runner.hosts) {
    report(['runner', 'minHosts'], `must be at most runner.hosts (${config.runner.hosts})`)
  }

  const slugs = new Set<string>()
  config.webrequests.forEach((endpoint, i) => {
    scenario(['webrequests', i, 'scenario'], endpoint.scenario)
    unique(['webrequests', i, 'slug'], slugs, endpoint.slug, 'slug')
  })

  const events = new Set<string>()
  config.events.forEach((event, i) => {
    scenario(['events', i, 'scenario'], event.scenario)
    unique(['events', i, 'name'], events, event.name, 'event name')
  })

  const clients = new Set<string>()
  config.clients.forEach((client, i) => unique(['clients', i, 'id'], clients, client.id, 'client id'))

  checkCollections(config, report, scenario, unique)
  checkDemoTokens(config, report)
}

function checkCollections (
  config: HookflowConfig,
  report: Report,
  scenario: (path: PropertyKey[], name: string) => void,
  unique: (path: PropertyKey[], seen: Set<string>, value: string, what: string) => void
): void {
  const { collections, roles } = config
  for (const [name, collection] of Object.entries(collections)) {
    const foreignKeys: string[] = []
    for (const [assoc, spec] of Object.entries(collection.associations)) {
      const path = ['collections', name, 'associations', assoc]
      if (!(spec.collection in collections)) report([...path, 'collection'], `unknown collection "${spec.collection}"`)
      if (assoc in collection.fields) report(path, `"${assoc}" is also a field`)
      const key = spec.foreignKey ?? (spec.type === 'belongsTo' ? `${assoc}Id` : `${name}Id`)
      const holder = spec.type === 'belongsTo' ? collection : collections[spec.collection]
      if (holder !== undefined && key in holder.fields) report(path, `foreign key "${key}" clashes with a field of "${spec.type === 'belongsTo' ? name : spec.collection}"`)
      if (spec.type === 'belongsTo') foreignKeys.push(key)
    }
    collection.clientWritable.forEach((field, i) => {
      if (!(SERVER_FIELDS as readonly string[]).includes(field) && !foreignKeys.includes(field)) {
        report(['collections', name, 'clientWritable', i], `"${field}" is not a server-owned field (id, createdAt, updatedAt or a belongsTo key)`)
      }
    })
  }

  const keys = new Set<string>()
  config.workflows.forEach((workflow, i) => {
    unique(['workflows', i, 'key'], keys, workflow.key, 'workflow key')
    if (!(workflow.collection in collections)) report(['workflows', i, 'collection'], `unknown collection "${workflow.collection}"`)
    scenario(['workflows', i, 'scenario'], workflow.scenario)
  })

  const ids = new Set<string>()
  config.users.forEach((user, i) => {
    unique(['users', i, 'id'], ids, user.id, 'user id')
    user.roles.forEach((role, j) => { if (!(role in roles)) report(['users', i, 'roles', j], `unknown role "${role}"`) })
  })
  for (const [role, grants] of Object.entries(roles)) {
    for (const collection of Object.keys(grants)) {
      if (!(collection in collections)) report(['roles', role, collection], `unknown collection "${collection}"`)
    }
  }
}

/** config.example.json's tokens are public: refuse them on a server other machines can reach. */
function checkDemoTokens (config: HookflowConfig, report: Report): void {
  if (isLoopbackHost(config.server.host)) return
  const why = `is a demo token from config.example.json; refusing to serve on ${config.server.host} with it — set a token of your own`
  config.admin.tokens.forEach((entry, i) => { if (DEMO_TOKENS.has(entry.token)) report(['admin', 'tokens', i, 'token'], why) })
  config.users.forEach((user, i) => { if (DEMO_TOKENS.has(user.token)) report(['users', i, 'token'], why) })
  config.events.forEach((event, i) => { if (event.token !== undefined && DEMO_TOKENS.has(event.token)) report(['events', i, 'token'], why) })
  config.clients.forEach((client, i) => { if (DEMO_TOKENS.has(client.token)) report(['clients', i, 'token'], why) })
  config.webrequests.forEach((endpoint, i) => endpoint.verify?.secrets.forEach((secret, j) => {
    if (DEMO_TOKENS.has(secret)) report(['webrequests', i, 'verify', 'secrets', j], why)
  }))
}
