import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Most files wait on sockets, timers and child processes rather than compute: two at a time
    // on two cores (vitest's default would be one).
    maxWorkers: 2,
    // One PostgreSQL server for the run; tests reach it through freshPgDatabase().
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // isolated-vm needs this flag in every process that loads it.
    execArgv: ['--no-node-snapshot'],
    testTimeout: 20_000,
    hookTimeout: 20_000
  }
})
