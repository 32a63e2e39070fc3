const MAX_OUTPUT_CHARS = 2000

/** A bounded JSON view of what a step produced, for the step log. */
export function previewOutput (value: unknown): string | undefined {
  if (value === undefined) return undefined
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    text = String(value)
  }
  if (text === undefined) return undefined
  return text.length > MAX_OUTPUT_CHARS ? `${text.slice(0, MAX_OUTPUT_CHARS)}…(${text.length} chars)` : text
}
