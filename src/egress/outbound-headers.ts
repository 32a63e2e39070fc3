/** Set by us, whatever the caller sends: framing, routing and our own identity headers. */
const RESERVED = new Set(['host', 'expect', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-authorization', 'proxy-connection', 'content-length'])

export const isReserved = (name: string): boolean => {
  const lower = name.toLowerCase()
  return RESERVED.has(lower) || lower.startsWith('x-hookflow-')
}

export interface HeaderPlan {
  /** What the caller asked to send. */
  caller: Record<string, string>
  /** Drop the caller's Authorization (proxy clients: their token is for us, not for the target). */
  dropAuthorization: boolean
  /** `egress.headers`. */
  fixed: Record<string, string>
  /** X-Hookflow-* identity headers. */
  identity: Record<string, string>
  /** A matching service's token. */
  serviceToken?: string
}

/** The headers that go out: the caller's minus reserved ones, then ours on top. */
export function outboundHeaders (plan: HeaderPlan): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(plan.caller)) {
    const lower = name.toLowerCase()
    if (isReserved(lower)) continue
    if (lower === 'authorization' && (plan.dropAuthorization || plan.serviceToken !== undefined)) continue
    headers[lower] = value
  }
  for (const [name, value] of Object.entries(plan.fixed)) headers[name.toLowerCase()] = value
  for (const [name, value] of Object.entries(plan.identity)) headers[name.toLowerCase()] = value
  if (plan.serviceToken !== undefined) headers.authorization = `Bearer ${plan.serviceToken}`
  return headers
}
