import type { Template } from '../templates.js'
import type { StepKind } from './step-kind.js'

/** Longer than any run may live, so a bigger value can only be a mistake. */
export const MAX_DELAY_MS = 3_600_000

/** `{ "delay": 1500 }` waits on the main thread's timers, cut short by the run's deadline. */
export const delayStep: StepKind<{ delay: number | string }, Template> = {
  kind: 'delay',
  compile: (raw, context, path) => context.template(raw.delay, `${path}.delay`),
  async run (template, { evaluate }) {
    const ms = Number(await evaluate(template))
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS) {
      throw new Error(`delay must be between 0 and ${MAX_DELAY_MS} ms, got ${String(ms)}`)
    }
    return { type: 'io', io: { kind: 'delay', ms } }
  },
  resume: () => ({ type: 'next' })
}
