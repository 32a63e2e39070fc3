import { describe, expect, it } from 'vitest'
import { callTree, flameGraphSvg, heapAsCpuProfile, hotSpots, originOf, type CpuProfile } from '../../bench/flame-graph.js'

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber })

// root → idle; root → handler (src) → JSON.parse-ish dependency; root → handler → recurse → recurse
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 7] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('handler', 'file:///srv/hookflow/dist/src/routes.js', 9), children: [4, 5] },
    { id: 4, callFrame: frame('parse', 'file:///srv/hookflow/node_modules/secure-json-parse/index.js', 15) },
    { id: 5, callFrame: frame('recurse', 'file:///srv/hookflow/dist/src/walk.js', 0), children: [6] },
    { id: 6, callFrame: frame('recurse', 'file:///srv/hookflow/dist/src/walk.js', 0) },
    { id: 7, callFrame: frame('(garbage collector)') }
  ],
  // 100 µs idle, handler 100 (self), parse 300, recurse 200 + 200 (nested), GC 100
  samples: [2, 3, 4, 4, 4, 5, 5, 6, 6, 7],
  timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100]
}

describe('flame graphs from a .cpuprofile', () => {
  it('builds the call tree of busy time only, with self and total per frame', () => {
    const tree = callTree(profile)
    expect(tree.total).toBe(900)
    const names = tree.children.map((child) => child.name)
    expect(names).toEqual(['(garbage collector)', 'handler src/routes.js:10'])
    const handler = tree.children[1]
    expect(handler).toMatchObject({ origin: 'hookflow', self: 100, total: 800 })
    expect(handler.children.map((child) => [child.name, child.origin, child.total])).toEqual([
      ['parse secure-json-parse/index.js:16', 'dependency', 300],
      ['recurse src/walk.js:1', 'hookflow', 400]
    ])
  })

  it('ranks hot spots by self and by inclusive time, a recursive function counted once per stack', () => {
    const { self, inclusive } = hotSpots(callTree(profile), 10)
    expect(self[0]).toMatchObject({ name: 'recurse src/walk.js:1', share: 400 / 900 })
    expect(inclusive[0]).toMatchObject({ name: 'handler src/routes.js:10', share: 800 / 900 })
    expect(inclusive.find((spot) => spot.name.startsWith('recurse'))!.share).toBe(400 / 900)
  })

  it('draws one box per frame, as wide as its share, with its name in the hover title', () => {
    const svg = flameGraphSvg(callTree(profile), 'case 1 <profile>')
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('case 1 &lt;profile&gt;')
    const widths = [...svg.matchAll(/<title>([^<]+)<\/title><rect x="[\d.]+" y="\d+" width="([\d.]+)"/g)].map((m) => [m[1].split(' (')[0], Number(m[2])])
    expect(widths).toContainEqual(['handler src/routes.js:10', Number((800 / 900 * 1600).toFixed(1))])
    expect(widths).toContainEqual(['parse secure-json-parse/index.js:16', Number((300 / 900 * 1600).toFixed(1))])
    expect(svg).not.toContain('(idle)')
  })

  it('tells hookflow code from dependencies, Node and V8', () => {
    expect(originOf('file:///app/dist/src/app.js', 'buildApp')).toBe('hookflow')
    expect(originOf('file:///app/node_modules/fastify/fastify.js', 'x')).toBe('dependency')
    expect(originOf('node:internal/streams/writable', 'x')).toBe('node')
    expect(originOf('', '(garbage collector)')).toBe('v8')
  })
})

describe('allocation profiles read as call trees', () => {
  it('turns a .heapprofile into a tree of bytes per frame, callers above what they called', () => {
    const heap = {
      head: {
        id: 1, callFrame: frame('(root)'), selfSize: 0, children: [
          { id: 2, callFrame: frame('handler', 'file:///srv/hookflow/dist/src/routes.js', 9), selfSize: 1000, children: [
            { id: 3, callFrame: frame('evaluate', 'file:///srv/hookflow/node_modules/jsonata/jsonata.js', 3507), selfSize: 3000, children: [] }
          ] },
          { id: 4, callFrame: frame('parse', 'file:///srv/hookflow/node_modules/secure-json-parse/index.js', 15), selfSize: 500, children: [] }
        ]
      }
    }
    const tree = callTree(heapAsCpuProfile(heap))
    expect(tree.total).toBe(4500)
    const handler = tree.children.find((child) => child.name.startsWith('handler'))!
    expect(handler).toMatchObject({ self: 1000, total: 4000 })
    expect(hotSpots(tree, 1).self[0]).toMatchObject({ name: 'evaluate jsonata/jsonata.js:3508', origin: 'dependency', share: 3000 / 4500 })
    expect(flameGraphSvg(tree, 'allocations', 'all (4.4 kB per request)')).toContain('all (4.4 kB per request)')
  })
})
