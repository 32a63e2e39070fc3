import type { HookflowConfig } from '../config/schema.js'

/** Every configured entry point as a full URL with a curl line ready to paste. */
export function describeEntryPoints (config: HookflowConfig, base: string): string[] {
  const lines: string[] = []
  for (const endpoint of config.webrequests) {
    const url = `${base}/api/webrequest/${endpoint.slug}`
    lines.push(`web request ${endpoint.slug}${endpoint.enabled ? '' : ' (disabled)'} → ${endpoint.scenario}`)
    lines.push(`  curl -X POST '${url}' -H 'content-type: application/json' -d '{}'`)
    lines.push(`  curl -X POST '${url}?async=true' -H 'content-type: application/json' -d '{}'`)
  }
  for (const event of config.events) {
    lines.push(`event ${event.name}${event.enabled ? '' : ' (disabled)'} → ${event.scenario}${event.token === undefined ? ' (local calls only)' : ''}`)
    lines.push(`  curl -X POST '${base}/api/event' -d 'name=${encodeURIComponent(event.name)}&data=hello'`)
    if (event.token !== undefined) lines.push(`  hookflow send-event --url ${base} --name '${event.name}' --data hello --token-file <token file>`)
  }
  for (const collection of Object.keys(config.collections)) {
    lines.push(`collection ${collection}`)
    lines.push(`  curl -X POST '${base}/api/${collection}:create' -H 'Authorization: Bearer <user token>' -H 'content-type: application/json' -d '{}'`)
    lines.push(`  curl '${base}/api/${collection}:list' -H 'Authorization: Bearer <user token>'`)
  }
  if (config.clients.length > 0) {
    lines.push(`proxy for ${config.clients.length} client(s)`)
    lines.push(`  curl '${base}/api/proxy?url=<percent-encoded URL>' -H 'Authorization: Bearer <client token>'`)
  }
  return lines
}
