import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, tempDir, testConfig, type TestApp } from '../helpers.js'

const cli = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'index.js')
const run = promisify(execFile)

async function hookflow (args: string[], env: Record<string, string> = {}): Promise<{ code: number, stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', ...env } })
    return { code: 0, stdout }
  } catch (err) {
    const failure = err as { code: number, stdout: string }
    return { code: failure.code, stdout: failure.stdout }
  }
}

describe('hookflow send-event against a running server', () => {
  let hf: TestApp
  let url: string
  const dir = tempDir()
  const tokenFile = join(dir, 'token')
  const dataFile = join(dir, 'order.json')

  beforeAll(async () => {
    writeFileSync(tokenFile, 'cli-token-123456\n')
    writeFileSync(dataFile, '{"order": 1}')
    hf = await buildTestApp(testConfig({
      server: { localNetworks: [] },
      scenarios: { echo: { steps: [{ set: { $body: { data: '{% data %}' } } }] } },
      events: [{ name: 'cli-event', scenario: 'echo', token: 'cli-token-123456' }]
    }))
    await hf.app.listen({ host: '127.0.0.1', port: 0 })
    url = `http://127.0.0.1:${(hf.app.server.address() as AddressInfo).port}`
  })
  afterAll(async () => { await hf.close() })

  it('signs with a token file, posts the data file and prints the reply', async () => {
    const { code, stdout } = await hookflow(['send-event', '--url', url, '--name', 'cli-event', '--data', `@${dataFile}`, '--token-file', tokenFile])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({ success: true, port: Number(new URL(url).port), id: expect.any(Number) })
  })

  it('takes the token from HOOKFLOW_EVENT_TOKEN and waits for the reply with --wait', async () => {
    const { code, stdout } = await hookflow(['send-event', '--url', url, '--name', 'cli-event', '--data', 'inline', '--wait'], { HOOKFLOW_EVENT_TOKEN: 'cli-token-123456' })
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({ data: 'inline' })
  })

  it('exits 1 and prints the error when the server refuses', async () => {
    const { code, stdout } = await hookflow(['send-event', '--url', url, '--name', 'cli-event', '--token', 'wrong-token-000'])
    expect(code).toBe(1)
    expect(JSON.parse(stdout)).toMatchObject({ success: false })
  })

  it('prints a signature with hookflow sign', async () => {
    const { stdout } = await hookflow(['sign', '--name', 'myevent', '--data', 'value: 2345', '--rand', '1234567484', '--token', 's3cr3t-t0ken-42'])
    expect(stdout.trim()).toBe('746b92b393989ac4dd79fead48e8fa4e3f3d3344506e60b56c96ec078607fe2a')
  })
})
