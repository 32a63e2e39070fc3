import type { Template } from '../templates.js'
import type { StepKind } from './step-kind.js'

interface EmitConfig { scenario: string, input: Template, as?: string }

/**
 * `{ "emit": "scenario-name", "input": {...}, "as": "child" }`: starts another scenario as its
 * own async run, linked to this one; the child sees `input` as its `body`. `as` receives
 * `{runId}` of the child.
 */
export const emitStep: StepKind<{ emit: string, input?: unknown, as?: string }, EmitConfig> = {
  kind: 'emit',
  compile: (raw, context, path) => ({ scenario: raw.emit, input: context.template(raw.input ?? null, `${path}.input`), as: raw.as }),
  async run (config, { evaluate }) {
    return { type: 'io', io: { kind: 'emit', scenario: config.scenario, input: await evaluate(config.input) } }
  },
  resume (config, { vars }, io) {
    if (config.as !== undefined) vars[config.as] = io.ok ? io.value : undefined
    return { type: 'next', output: io.ok ? io.value : undefined }
  }
}
