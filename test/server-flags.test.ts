import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SERVER_NODE_FLAGS } from '../src/node-flags.js'

const root = fileURLToPath(new URL('../', import.meta.url))
const command = `node ${SERVER_NODE_FLAGS.join(' ')} dist/src/server.js`

describe('the server\'s Node flags', () => {
  it('are the ones npm start runs the server with', () => {
    const start = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: { start: string } }).scripts.start
    expect(start).toBe(command)
  })

  it('are the ones the Dockerfile runs it with', () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(readFileSync(`${root}Dockerfile`, 'utf8'))![1]) as string[]
    expect(cmd.join(' ')).toBe(command)
  })
})
