import { describe, expect, it } from 'vitest'
import { toBoolean } from '../../src/runner/boolean.js'
import { compileScenario } from '../../src/runner/compile-scenario.js'
import { createInlineExecutor } from '../../src/runner/executor.js'
import { createIoPerformer } from '../../src/runner/io.js'
import { initialState, runSegment } from '../../src/runner/interpreter.js'
import { runScenario } from '../../src/runner/run-scenario.js'

async function run (steps: unknown[], vars: Record<string, unknown> = {}, timeoutMs = 5000) {
  const executor = createInlineExecutor(new Map([['s', compileScenario('s', { steps })]]))
  return await runScenario({ executor, io: createIoPerformer() }, { scenario: 's', vars, deadline: Date.now() + timeoutMs, run: { runId: 1, depth: 0 } })
}

describe('toBoolean (JSONata $boolean)', () => {
  it.each([
    [null, false], [undefined, false], [0, false], [1, true], ['', false], ['x', true], [[], false],
    [[0], false], [[0, 1], true], [{}, false], [{ a: 1 }, true], [false, false], [true, true]
  ])('%j → %s', (value, expected) => expect(toBoolean(value)).toBe(expected))
})

describe('runScenario', () => {
  it('assigns the keys of one set in order, so later keys see earlier ones', async () => {
    const outcome = await run([{ set: { a: '{% 2 %}', b: '{% a * 10 %}' } }])
    expect(outcome.status).toBe('succeeded')
    expect(outcome.vars).toMatchObject({ a: 2, b: 20 })
  })

  it('takes then or else by the condition, and skips a step whose when is false', async () => {
    const steps = [
      { if: '{% n > 1 %}', then: [{ set: { branch: 'then' } }], else: [{ set: { branch: 'else' } }] },
      { when: '{% branch = "then" %}', set: { marked: true } }
    ]
    expect((await run(steps, { n: 2 })).vars).toMatchObject({ branch: 'then', marked: true })
    const low = await run(steps, { n: 0 })
    expect(low.vars.branch).toBe('else')
    expect(low.vars.marked).toBeUndefined()
    expect(low.log.map((entry) => [entry.path, entry.status])).toEqual([
      ['scenarios.s.steps[0]', 'ok'], ['scenarios.s.steps[0].else[0]', 'ok'], ['scenarios.s.steps[1]', 'skipped']
    ])
  })

  it('stops at end with the output variables as they are', async () => {
    const outcome = await run([{ set: { $status: 201 } }, { end: {} }, { set: { $status: 500 } }])
    expect(outcome.status).toBe('succeeded')
    expect(outcome.vars.$status).toBe(201)
    expect(outcome.log).toHaveLength(2)
  })

  it('binds $status, $headers and $body as JSONata variables', async () => {
    const outcome = await run([{ set: { $status: 202, $body: { a: 1 } } }, { set: { seen: '{% $status & "/" & $string($body.a) %}' } }])
    expect(outcome.vars.seen).toBe('202/1')
  })

  it('fails the run with the step path when an expression throws', async () => {
    const outcome = await run([{ name: 'boom', set: { x: '{% $number("abc") + $undefinedFn() %}' } }])
    expect(outcome.status).toBe('failed')
    expect(outcome.error?.message).toMatch(/^set step "boom" \(scenarios\.s\.steps\[0\]\) failed: /)
    expect(outcome.log[0]).toMatchObject({ status: 'failed', name: 'boom' })
  })

  it('refuses $eval, so request data never becomes code', async () => {
    const outcome = await run([{ set: { x: '{% $eval(body.code) %}' } }], { body: { code: '1 + 1' } })
    expect(outcome.status).toBe('failed')
    expect(outcome.error?.message).toMatch(/\$eval is disabled/)
  })

  it('keeps request values that look like expressions as data', async () => {
    const outcome = await run([{ set: { copy: '{% body.text %}' } }], { body: { text: '{% 1 + 1 %}' } })
    expect(outcome.vars.copy).toBe('{% 1 + 1 %}')
  })

  it('cannot reach constructors through JSONata paths', async () => {
    const outcome = await run([{ set: { x: '{% ( $f := $.constructor.constructor; $f("return process")() ) %}' } }])
    expect(outcome.status).toBe('failed')
  })

  it('waits for a delay and stops at the deadline without starting the next step', async () => {
    const started = Date.now()
    const outcome = await run([{ delay: 5000 }, { set: { after: true } }], {}, 200)
    expect(outcome.status).toBe('timed_out')
    expect(Date.now() - started).toBeLessThan(1000)
    expect(outcome.vars.after).toBeUndefined()
    expect(outcome.log.at(-1)).toMatchObject({ kind: 'delay', path: 'scenarios.s.steps[0]', status: 'timed_out' })
  })

  it('resumes after a delay', async () => {
    const outcome = await run([{ delay: 20 }, { set: { after: true } }])
    expect(outcome.status).toBe('succeeded')
    expect(outcome.log[0]).toMatchObject({ kind: 'delay', status: 'ok' })
    expect(outcome.log[0].durationMs).toBeGreaterThanOrEqual(15)
  })
})

describe('a step that gives up at the deadline', () => {
  it('times the run out instead of failing it: a script whose sandbox stops itself is a timeout, not an error', async () => {
    const scenario = compileScenario('s', { steps: [{ script: 'while(true){}' }, { set: { after: true } }] })
    const result = await runSegment(scenario, initialState({}), { deadline: Date.now() + 150 })
    expect(result.type).toBe('timed_out')
    expect(result.state.log.map((entry) => [entry.status, entry.error])).toEqual([['timed_out', 'stopped at the deadline']])
  })

  it('still fails the run when the script gives up before the deadline', async () => {
    const scenario = compileScenario('s', { steps: [{ script: 'throw new Error("no")' }] })
    const result = await runSegment(scenario, initialState({}), { deadline: Date.now() + 5000 })
    expect(result.type).toBe('failed')
  })
})
