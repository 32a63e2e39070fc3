import { describe, expect, it } from 'vitest'
import { ASK_JSONATA, shortcutOf } from '../../src/runner/expression-shortcut.js'
import { compileExpression, evaluateExpression } from '../../src/runner/expressions.js'
import { compileTemplate, evaluateTemplate } from '../../src/runner/templates.js'
import type { Vars } from '../../src/runner/types.js'

/** A small seeded generator, so a failure names a case that can be run again. */
function random (seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6D2B79F5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const VALUES: unknown[] = [0, 1, -1, 2.5, 0.1, 3, 1e300, 123456789.123456789, 'x', 'Hello', '', '10', true, false, null,
  [1, 2, 3], [], [5], ['a', 'b'], [[1], [2]], [{ x: 1 }, { x: 2 }], [1, 'a'], [true, false], { x: 1, y: 's' }, {}, { x: [1, 2] }]
const NAMES = ['a', 'b', 's', 'n', 'arr', 'o']

function generate (next: () => number): { source: string, vars: Vars } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]
  const expression = (depth: number, params: string[]): string => {
    const leaves = [
      () => String(pick([0, 1, 2, -3, 10, 2.5, 0.1, 1e16])), () => JSON.stringify(pick(['a', '', '1', 'Zz'])), () => pick(['true', 'false', 'null']),
      () => pick(['a', 'b', 's', 'n', 'arr', 'o.x', 'o.y', 'o.missing.deep', 'missing', 'arr.x']),
      () => pick(['$body', '$body.x', '$status', '$', '$$.a']),
      ...(params.length > 0 ? [() => pick(params), () => `${params[0]}.x`] : [])
    ]
    if (depth <= 0 || next() < 0.3) return pick(leaves)()
    const sub = (): string => expression(depth - 1, params)
    switch (Math.floor(next() * 6)) {
      case 0: return `(${sub()} ${pick(['+', '-', '*', '/', '%', '&', '=', '!=', '<', '<=', '>', '>=', 'and', 'or'])} ${sub()})`
      case 1: return `-${sub()}`
      case 2: return next() < 0.7 ? `(${sub()} ? ${sub()} : ${sub()})` : `(${sub()} ? ${sub()})`
      case 3: return `$${pick(['string', 'sum', 'count', 'exists', 'not', 'uppercase', 'lowercase'])}(${sub()})`
      case 4: {
        const lambda = next() < 0.5 ? ['$v'] : ['$v', '$i']
        return `$${pick(['map', 'filter'])}(${sub()}, function(${lambda.join(', ')}) { ${expression(depth - 1, lambda)} })`
      }
      default: return pick(leaves)()
    }
  }
  const vars: Vars = {}
  for (const name of NAMES) if (next() < 0.8) vars[name] = pick(VALUES)
  if (next() < 0.5) vars.$body = pick(VALUES)
  if (next() < 0.5) vars.$status = pick([200, 404])
  return { source: expression(4, []), vars }
}

/** Undefined and JSON, the way a variable ends up stored and replied. */
const shown = (value: unknown): string => value === undefined ? 'undefined' : JSON.stringify(value)

describe('expression shortcuts answer as JSONata does, or ask it', () => {
  it('agrees with JSONata on 4 000 generated expressions and inputs', async () => {
    const next = random(20261201)
    let answered = 0
    for (let n = 0; n < 4000; n++) {
      const { source, vars } = generate(next)
      const expression = compileExpression(source)
      const shortcut = shortcutOf(expression.ast())
      if (shortcut === undefined) continue
      const quick = shortcut.evaluate(vars)
      if (quick === ASK_JSONATA) continue
      answered++
      let expected: string
      try {
        expected = shown(await evaluateExpression(expression, vars))
      } catch (err) {
        expected = `JSONata throws ${(err as { code?: string }).code}`
      }
      expect({ source, vars, answer: shown(quick) }).toEqual({ source, vars, answer: expected })
    }
    // Not a test of nothing: most generated expressions are answered without JSONata.
    expect(answered).toBeGreaterThan(1500)
  })

  it.each([
    ['body.qty * body.price', { body: { qty: 3, price: 50 } }, 150],
    ["body.name & ' #' & $string(body.order)", { body: { name: 'Ann', order: 42 } }, 'Ann #42'],
    ['$sum(body.items)', { body: { items: [1, 2, 3] } }, 6],
    ['$map(body.items, function($v) { $v * 2 })', { body: { items: [1, 2, 3] } }, [2, 4, 6]],
    ['$map(body.items, function($v) { $v * 2 })', { body: { items: [4] } }, 8],
    ['$filter(body.items, function($v, $i) { $i > 0 })', { body: { items: ['a', 'b', 'c'] } }, ['b', 'c']],
    ["subtotal > 100 ? 'big' : 'small'", { subtotal: 150 }, 'big'],
    ['$string(0.1 + 0.2)', {}, '0.3']
  ])('%s', async (source, vars, expected) => {
    const shortcut = shortcutOf(compileExpression(source).ast())
    expect(shortcut?.evaluate(vars as Vars)).toEqual(expected)
    expect(shown(await evaluateExpression(compileExpression(source), vars as Vars))).toBe(shown(expected))
  })

  it.each([
    ['body.items.x', { body: { items: [{ x: 1 }] } }],
    ['"a" * 2', {}],
    ['1 / 0', {}],
    ['$sum(body.items)', { body: { items: [1, 'a'] } }],
    ['$map(body.items, function($v) { $map($v, function($w) { $w }) })', { body: { items: [[1, 2]] } }],
    ['x > 1 ? 1 : 2', { x: 'text' }]
  ])('asks JSONata for %s', (source, vars) => {
    expect(shortcutOf(compileExpression(source).ast())?.evaluate(vars as Vars)).toBe(ASK_JSONATA)
  })

  it('leaves what it does not cover to JSONata', () => {
    for (const source of ['body.items[0]', '$x := 1', '$sort(body)', '$map(body, $string)', '{"a": 1}', '[1, 2]', 'body.a in [1]', '$substring(body.s, 1)', '$map(body.items, function($v) { [$v] })']) {
      expect(shortcutOf(compileExpression(source).ast())).toBeUndefined()
    }
  })

  it('an answer that asks JSONata is still evaluated, with JSONata\'s error', async () => {
    const template = compileTemplate('{% body.n * 2 %}', 'x')
    expect(await evaluateTemplate(template, { body: { n: 4 } })).toBe(8)
    await expect(evaluateTemplate(template, { body: { n: 'four' } })).rejects.toMatchObject({ code: 'T2001' })
  })
})
