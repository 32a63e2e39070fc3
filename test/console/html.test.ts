import { describe, expect, it } from 'vitest'
import { escapeHtml, html, queryString } from '../../src/console/html.js'
import { barFor, timelineSvg } from '../../src/console/timeline.js'

describe('html templates', () => {
  it('escapes every interpolated value unless it is already Html', () => {
    const hostile = '<img src=x onerror="alert(1)">\'`&'
    expect(html`<p title="${hostile}">${hostile}</p>`.text).toBe(`<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}</p>`)
    expect(escapeHtml(hostile)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&#96;&amp;')
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.text).toBe('<ul>&lt;a&gt;<li>ok</li></ul>')
    expect(html`${null}${undefined}${false}${0}`.text).toBe('0')
  })

  it('builds query strings without empty parameters', () => {
    expect(queryString({ status: 'dead', endpoint: '', cursor: undefined, limit: 2 })).toBe('?status=dead&limit=2')
    expect(queryString({ endpoint: 'a&b=c' })).toBe('?endpoint=a%26b%3Dc')
    expect(queryString({})).toBe('')
  })
})

describe('the step timeline', () => {
  it('places bars on the run time axis, at least 2 units wide and never past the end', () => {
    const start = 1000
    const first = barFor({ startedAt: 1000, durationMs: 0 }, start, 100)
    const half = barFor({ startedAt: 1050, durationMs: 50 }, start, 100)
    expect(first.width).toBe(2)
    expect(half.x).toBeGreaterThan(first.x)
    expect(half.x + half.width).toBeCloseTo(first.x + 620, 0)
    const late = barFor({ startedAt: 5000, durationMs: 10_000 }, start, 100)
    expect(late.x + late.width).toBeLessThanOrEqual(first.x + 620)
  })

  it('draws one group per step and escapes step names', () => {
    const svg = timelineSvg([
      { kind: 'set', name: '<b>x</b>', path: 'steps[0]', startedAt: 0, durationMs: 5, status: 'ok' },
      { kind: 'http', path: 'steps[1]', startedAt: 5, durationMs: 20, status: 'failed', error: 'boom <i>' }
    ], 0, 25).text
    expect(svg.match(/<g class="step"/g)).toHaveLength(2)
    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;')
    expect(svg).toContain('class="bar-failed"')
    expect(svg).not.toContain('<i>')
    expect(svg).not.toContain('style=')
  })
})
