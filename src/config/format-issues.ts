import type { z } from 'zod'

/** `['webrequests', 2, 'scenario']` → `webrequests[2].scenario`. */
export function formatPath (path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (typeof part === 'string' && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(part)) out += out === '' ? part : `.${part}`
    else out += `[${JSON.stringify(String(part))}]`
  }
  return out === '' ? '(root)' : out
}

export function formatIssues (issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    let message = issue.message
    if (issue.code === 'unrecognized_keys') message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`
    // A bad record key: say what is wrong with it, not only that it is.
    if (issue.code === 'invalid_key') message = `invalid name: ${issue.issues.map((inner) => inner.message).join('; ')}`
    return `${formatPath(issue.path)}: ${message}`
  })
}
