import type { Template } from '../templates.js'
import type { StepKind } from './step-kind.js'

/**
 * `{ "fail": { "message": "...", "$status": 422, "$body": {...} } }`: ends the run as failed, on
 * purpose. A sync caller gets `$status`/`$body` when given, else 500 with the message. Never
 * retried, never caught by `onError`.
 */
export const failStep: StepKind<{ fail: Record<string, unknown> }, Template> = {
  kind: 'fail',
  compile: (raw, context, path) => context.template(raw.fail, `${path}.fail`),
  async run (template, { evaluate }) {
    const spec = await evaluate(template) as { message?: unknown, $status?: unknown, $body?: unknown }
    const message = typeof spec.message === 'string' ? spec.message : JSON.stringify(spec.message ?? 'scenario failed')
    const status = spec.$status
    if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)) {
      throw new Error(`fail.$status must be an integer from 400 to 599, got ${JSON.stringify(status)}`)
    }
    const reply = status === undefined && spec.$body === undefined ? undefined : { status, body: spec.$body }
    return { type: 'fail', error: reply === undefined ? { message } : { message, reply } }
  }
}
