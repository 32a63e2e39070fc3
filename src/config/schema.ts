import { z } from 'zod'
import { AdminConfig } from './admin.js'
import { DatabaseConfig } from './database.js'
import { EgressConfig } from './egress.js'
import { EventConfig, RandidConfig } from './events.js'
import { RunnerConfig } from './runner.js'
import { ScenariosConfig } from './scenarios.js'
import { ServerConfig } from './server.js'
import { WebRequestConfig } from './webrequests.js'
import { forEachStepAt } from '../runner/walk-steps.js'

/** The whole config file. Unknown top-level keys are refused until the feature they name lands. */
export const HookflowConfig = z.object({
  $schema: z.string().optional(),
  server: ServerConfig.default(ServerConfig.parse({})),
  database: DatabaseConfig.default(DatabaseConfig.parse({})),
  admin: AdminConfig.default({ tokens: [] }),
  runner: RunnerConfig.default(RunnerConfig.parse({})),
  scenarios: ScenariosConfig.default({}),
  webrequests: z.array(WebRequestConfig).default([]),
  egress: EgressConfig.default(EgressConfig.parse({})),
  events: z.array(EventConfig).default([]),
  randid: RandidConfig.default(RandidConfig.parse({}))
}).strict().superRefine((config, ctx) => {
  for (const [name, scenario] of Object.entries(config.scenarios)) {
    forEachStepAt(scenario.steps, ['scenarios', name, 'steps'], (step, path) => {
      if (typeof step.emit === 'string' && !(step.emit in config.scenarios)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'emit'], message: `unknown scenario "${step.emit}"` })
      }
    })
  }
  const seen = new Set<string>()
  config.webrequests.forEach((endpoint, i) => {
    if (!(endpoint.scenario in config.scenarios)) {
      ctx.addIssue({ code: 'custom', path: ['webrequests', i, 'scenario'], message: `unknown scenario "${endpoint.scenario}"` })
    }
    if (seen.has(endpoint.slug)) {
      ctx.addIssue({ code: 'custom', path: ['webrequests', i, 'slug'], message: `duplicate slug "${endpoint.slug}"` })
    }
    seen.add(endpoint.slug)
  })
  const names = new Set<string>()
  config.events.forEach((event, i) => {
    if (!(event.scenario in config.scenarios)) {
      ctx.addIssue({ code: 'custom', path: ['events', i, 'scenario'], message: `unknown scenario "${event.scenario}"` })
    }
    if (names.has(event.name)) ctx.addIssue({ code: 'custom', path: ['events', i, 'name'], message: `duplicate event name "${event.name}"` })
    names.add(event.name)
  })
})

export type HookflowConfig = z.infer<typeof HookflowConfig>
