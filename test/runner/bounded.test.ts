import { describe, expect, it } from 'vitest'
import { isBoundedExpression, isBoundedScenario, LAMBDA_FUNCTIONS } from '../../src/runner/bounded.js'
import { compileScenario } from '../../src/runner/compile-scenario.js'
import { compileExpression } from '../../src/runner/expressions.js'
import { compileTemplate, evaluateTemplate } from '../../src/runner/templates.js'

describe('bounded expressions (evaluated inline)', () => {
  it.each([
    'body', 'body.qty * body.price', '$string(total)', 'x > 100 ? "big" : "small"', '{"a": body.a, "b": [1, 2]}',
    '$sum(body.items.price)', '"a" & body.b', '$status', '-body.a', 'body.a in [1, 2]', 'body.*', '$exists(query.name) ? query.name : "x"',
    '$map(body.items, function($v) { $v * 2 })', '$filter(body.items, function($v, $i) { $v.price > $i })',
    '$map(body.items, function($v) { $v.qty > 1 ? $string($v.name) & "!" : $uppercase($v.name) })'
  ])('%s is bounded', (source) => {
    expect(isBoundedExpression(compileExpression(source))).toBe(true)
  })

  it.each([
    '[1..10000000]', 'function($x) { $x }', 'body.items[price > 2]', 'body.items^(price)', '**.id', '$match(body.a, /x+/)',
    '$x := 1', '( $f := function($n) { $f($n + 1) }; $f(0) )', '$sort(body.items)', '$reduce(body.items, function($a, $b) { $a + $b })',
    '$pad("", 1000000000)', 'body.a ~> $string()', '$map(body.items, $string)', 'body.items{type: price}', '$unknownVariable',
    // A filter after any expression runs once per item, and may read the whole input each time.
    '$append(body.a, body.b)[$string($$) = "x"]', '(body.a)[0]', '"x"[0]',
    // Lambdas that read more than their item, or take the whole array.
    '$map(body.items, function($v) { $string($) })', '$map(body.items, function($v) { body })', '$map(body.items, function($v) { $sum(body.items) })',
    '$map(body.items, function($v) { $body })', '$map(body.items, function($v, $i, $a) { $a })', '$map(body.items, function($v) { $v[0] })',
    '$map(body.a, function($v) { $map($v, function($w) { $v }) })', '$map(body.items, function($v) { $uppercase() })',
    '$map(body.items, function($v) { $substring($v, 1) })', '$map(body.items, function($string) { $string(1) })',
    '$map(body.items, function($v)<n:n> { $v })', '$map(body.items, function($v) { $v.a[0] })', '$map(body.items, function($v) { [1..$v] })'
  ])('%s is not bounded', (source) => {
    expect(isBoundedExpression(compileExpression(source))).toBe(false)
  })

  // Handed one argument of a type it does not take, a built-in may use the context instead: inside
  // a lambda that would be the whole input once per item. None that lambdas may call does.
  it.each([...LAMBDA_FUNCTIONS])('$%s in a lambda never reads the context', async (name) => {
    const marker = 'CONTEXT-MARKER-7777777'
    const contexts = [{ m: marker }, marker, [marker], 7777777, [7777777], true]
    const items = [1, 2.5, -3, 'text', '', true, null, [1, 2], ['a'], { k: 1 }, {}]
    // The probe sees a leak where there is one: outside a lambda, `$substring(1)` takes the context.
    expect(JSON.stringify(await compileExpression('c.($substring(1))').evaluate({ c: marker }))).toMatch(/ONTEXT-MARKER/)
    for (const context of contexts) {
      for (const item of items) {
        for (const argument of ['$v', '$v.missing']) {
          const source = `c.$map([${JSON.stringify(item)}, ${JSON.stringify(item)}], function($v) { $${name}(${argument}) })`
          let out: string
          try {
            out = JSON.stringify(await compileExpression(source).evaluate({ c: context })) ?? ''
          } catch (err) {
            out = String((err as { message?: string }).message)
          }
          expect(out).not.toMatch(/CONTEXT-MARKER|7777777/)
        }
      }
    }
  })

  it('judges whole scenarios: pure steps with bounded expressions only', () => {
    const plain = compileScenario('a', { steps: [{ set: { x: '{% body.n * 2 %}' } }, { if: '{% x > 1 %}', then: [{ set: { $body: '{% x %}' } }] }] })
    expect(isBoundedScenario(plain)).toBe(true)
    expect(isBoundedScenario(compileScenario('b', { steps: [{ delay: 10 }] }))).toBe(false)
    expect(isBoundedScenario(compileScenario('c', { steps: [{ script: 'return {}' }] }))).toBe(false)
    expect(isBoundedScenario(compileScenario('d', { steps: [{ set: { x: '{% [1..body.n] %}' } }] }))).toBe(false)
    expect(isBoundedScenario(compileScenario('e', { steps: [{ when: '{% $sort(body) %}', set: { x: 1 } }] }))).toBe(false)
    expect(isBoundedScenario(compileScenario('f', { steps: [{ each: '{% body %}', steps: [] }] }))).toBe(false)
  })
})

describe('plain paths skip the JSONata evaluator and answer as JSONata would', () => {
  const values = [{ body: null }, { body: 'text' }, { body: { a: { b: 1 } } }, { body: { a: null } }, { body: {} }, { body: 0 }, { body: false }, {},
    { body: [1, 2] }, { body: { a: [{ b: 1 }, { b: 2 }] } }, { body: { a: [[1, 2], [3]] } }, { body: { constructor: 1 } }, { body: Object.create({ inherited: 1 }) },
    // Paths that end on an array: JSONata returns it as it is.
    { body: { a: [] } }, { body: { a: [1] } }, { body: { a: [[1]] } }, { body: [[[]]] }, { body: { a: [null, 1] } }, { body: { a: { b: [1, [2, [3]]] } } }, { body: { a: { b: [] } } }]
  it.each(['body', 'body.a', 'body.a.b', 'body.inherited', 'body.constructor'])('%s', async (source) => {
    const template = compileTemplate(`{% ${source} %}`, 'x')
    expect(template.t === 'expr' && template.shortcut !== undefined).toBe(true)
    for (const vars of values) {
      expect(JSON.stringify(await evaluateTemplate(template, vars))).toBe(JSON.stringify(await compileExpression(source).evaluate(vars)))
    }
  })
})

describe('a plain path that ends on an array', () => {
  it('is answered without the JSONata evaluator', async () => {
    const template = compileTemplate('{% body.items %}', 'x')
    if (template.t !== 'expr') throw new Error('expected an expression')
    template.expression.evaluate = async () => { throw new Error('JSONata was asked') }
    const items = [[1, 2], [3]]
    expect(await evaluateTemplate(template, { body: { items } })).toBe(items)
    // A step into an array maps over it: that is JSONata's to answer.
    await expect(evaluateTemplate(template, { body: [{ items: [1] }, { items: [2] }] })).rejects.toThrow('JSONata was asked')
  })
})
