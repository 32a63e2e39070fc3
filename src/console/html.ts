/**
 * HTML built from templates that escape every interpolated value unless it is already `Html`.
 * Run data is attacker-controlled, so escaping is the default and the only way around it is a
 * value this module produced.
 */
export class Html {
  constructor (readonly text: string) {}
  toString (): string { return this.text }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' }

export function escapeHtml (value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => ENTITIES[char])
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[]

function render (part: Part): string {
  if (part === null || part === undefined || part === false) return ''
  if (part instanceof Html) return part.text
  if (Array.isArray(part)) return part.map(render).join('')
  return escapeHtml(String(part))
}

/** The tag for templates: `html\`<td>${value}</td>\``. Arrays are joined; null, undefined and false render nothing. */
export function html (strings: TemplateStringsArray, ...values: Part[]): Html {
  let text = strings[0]
  for (let i = 0; i < values.length; i++) text += render(values[i]) + strings[i + 1]
  return new Html(text)
}

/** A query string from parameters, leaving out empty ones; the result still goes through escaping in attributes. */
export function queryString (params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
