import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // One PostgreSQL server for the run; tests reach it through freshPgDatabase().
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // isolated-vm needs this flag in every process that loads it.
    execArgv: ['--no-node-snapshot'],
    testTimeout: 20_000,
    hookTimeout: 20_000
  }
})
