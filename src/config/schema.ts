import { z } from 'zod'
import { AdminConfig } from './admin.js'
import { CollectionConfig, Identifier, RolesConfig, UserConfig, WorkflowConfig } from './collections.js'
import { crossCheck } from './cross-checks.js'
import { DatabaseConfig } from './database.js'
import { ClientConfig, EgressConfig } from './egress.js'
import { EventConfig, RandidConfig } from './events.js'
import { PublicConfig } from './operations.js'
import { QueueConfig, RunsConfig } from './queue.js'
import { RunnerConfig } from './runner.js'
import { ScenariosConfig } from './scenarios.js'
import { ServerConfig } from './server.js'
import { WebRequestConfig } from './webrequests.js'

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
  randid: RandidConfig.default(RandidConfig.parse({})),
  collections: z.record(Identifier, CollectionConfig).default({}),
  workflows: z.array(WorkflowConfig).default([]),
  users: z.array(UserConfig).default([]),
  roles: RolesConfig.default({}),
  clients: z.array(ClientConfig).default([]),
  queue: QueueConfig.default(QueueConfig.parse({})),
  runs: RunsConfig.default(RunsConfig.parse({})),
  metrics: PublicConfig.default({ public: false }),
  docs: PublicConfig.default({ public: false })
}).strict().superRefine((config, ctx) => {
  crossCheck(config, (path, message) => ctx.addIssue({ code: 'custom', path, message }))
})

export type HookflowConfig = z.infer<typeof HookflowConfig>
