import type { Vars } from '../runner/types.js'

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'])
/** Any header or query field named like this holds a credential (also matches `signature`). */
const SECRET_NAME = /token|secret|sign|password|passwd|api[-_]?key/i
export const REDACTED = '[redacted]'

export const isSecretHeader = (name: string): boolean => SECRET_HEADERS.has(name.toLowerCase()) || SECRET_NAME.test(name)
export const isSecretField = (name: string): boolean => SECRET_NAME.test(name)

/** The same object when nothing in it is secret: most runs carry no credentials. */
function redactFields (value: unknown, isSecret: (name: string) => boolean): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const names = Object.keys(value)
  if (!names.some(isSecret)) return value
  return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, isSecret(name) ? REDACTED : field]))
}

/** Redacts secret query parameters in a URL string; a relative URL keeps its form. */
export function redactUrl (url: string): string {
  const query = url.indexOf('?')
  if (query === -1) return url
  const params = new URLSearchParams(url.slice(query + 1))
  let changed = false
  for (const name of new Set(params.keys())) {
    if (isSecretField(name)) {
      params.set(name, REDACTED)
      changed = true
    }
  }
  return changed ? `${url.slice(0, query)}?${params.toString()}` : url
}

/**
 * The input a finished run keeps: credentials in headers, query, cookies and the URL are
 * replaced. Applied once a run can no longer execute, so replays after that see the redacted form.
 * The input itself when nothing needed replacing (the catalog then keeps the stored copy).
 */
export function redactInput (input: Vars): Vars {
  const headers = 'headers' in input ? redactFields(input.headers, isSecretHeader) : undefined
  const query = 'query' in input ? redactFields(input.query, isSecretField) : undefined
  // The cookie header is a credential as a whole, so every parsed cookie is too.
  const cookies = 'cookies' in input ? redactFields(input.cookies, () => true) : undefined
  const url = typeof input.url === 'string' ? redactUrl(input.url) : undefined
  if (headers === input.headers && query === input.query && cookies === input.cookies && url === input.url) return input
  const out: Vars = { ...input }
  if ('headers' in out) out.headers = headers
  if ('query' in out) out.query = query
  if ('cookies' in out) out.cookies = cookies
  if (url !== undefined) out.url = url
  return out
}
