/**
 * Flame graphs and hot-spot lists from a V8 `.cpuprofile` (`node --cpu-prof`), in the manner of
 * Clinic.js Flame: one box per function on a stack, as wide as the share of samples it was on the
 * stack for, its callers below it; coloured by where the code lives, so hookflow's own functions
 * stand out from its dependencies and from Node. The SVG needs no script and no network.
 */

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }>
  samples: number[]
  timeDeltas: number[]
}

export type Origin = 'hookflow' | 'dependency' | 'node' | 'v8'

export interface Frame {
  name: string
  origin: Origin
  /** Microseconds on the stack (the frame and everything it called). */
  total: number
  /** Microseconds at the top of the stack. */
  self: number
  children: Frame[]
}

/** The parts of a `.heapprofile` (V8's sampling heap profiler) this reads. */
export interface HeapProfile {
  head: HeapNode
}
interface HeapNode {
  id: number
  callFrame: CpuProfile['nodes'][number]['callFrame']
  selfSize: number
  children: HeapNode[]
}

/**
 * A heap profile in the shape of a CPU profile — each node one "sample" as long as the bytes it
 * allocated — so the call tree, hot spots and flame graph read allocations the way they read time.
 */
export function heapAsCpuProfile (profile: HeapProfile): CpuProfile {
  const out: CpuProfile = { nodes: [], samples: [], timeDeltas: [] }
  const pending = [profile.head]
  while (pending.length > 0) {
    const node = pending.pop()!
    out.nodes.push({ id: node.id, callFrame: node.callFrame, children: node.children.map((child) => child.id) })
    out.samples.push(node.id)
    out.timeDeltas.push(node.selfSize)
    pending.push(...node.children)
  }
  return out
}

/** Idle time is not work: a flame graph of a server under load shows where its busy time went. */
const NOT_WORK = new Set(['(idle)', '(root)'])

export function originOf (url: string, name: string): Origin {
  if (url.includes('/node_modules/')) return 'dependency'
  if (url.startsWith('node:') || url.startsWith('internal/')) return 'node'
  if (url === '') return name === '(garbage collector)' || name === '(program)' ? 'v8' : 'node'
  return 'hookflow'
}

function labelOf (callFrame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = callFrame.functionName === '' ? '(anonymous)' : callFrame.functionName
  if (callFrame.url === '') return name
  const file = callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, '')
  return `${name} ${file}:${callFrame.lineNumber + 1}`
}

/** The call tree with time per frame; frames of one function under one caller are merged. */
export function callTree (profile: CpuProfile): Frame {
  const selfTime = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    selfTime.set(profile.samples[i], (selfTime.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []))
  const rootNode = profile.nodes.find((node) => !childIds.has(node.id))
  const root: Frame = { name: 'all', origin: 'v8', total: 0, self: 0, children: [] }
  if (rootNode === undefined) return root

  // Iterative: stacks of deep recursion must not overflow ours.
  const pending: Array<{ id: number, into: Frame }> = (rootNode.children ?? []).map((id) => ({ id, into: root }))
  while (pending.length > 0) {
    const { id, into } = pending.pop()!
    const node = byId.get(id)!
    if (NOT_WORK.has(node.callFrame.functionName)) continue
    const name = labelOf(node.callFrame)
    let frame = into.children.find((child) => child.name === name)
    if (frame === undefined) {
      frame = { name, origin: originOf(node.callFrame.url, node.callFrame.functionName), total: 0, self: 0, children: [] }
      into.children.push(frame)
    }
    frame.self += selfTime.get(id) ?? 0
    for (const child of node.children ?? []) pending.push({ id: child, into: frame })
  }
  const sum = (frame: Frame): number => {
    frame.total = frame.self + frame.children.reduce((total, child) => total + sum(child), 0)
    frame.children.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    return frame.total
  }
  sum(root)
  return root
}

export interface HotSpot {
  name: string
  origin: Origin
  /** Share of the busy time, 0–1. */
  share: number
}

/** Functions by self time and by inclusive time (a function counted once per stack it is on). */
export function hotSpots (root: Frame, count: number): { self: HotSpot[], inclusive: HotSpot[] } {
  const self = new Map<string, { origin: Origin, time: number }>()
  const inclusive = new Map<string, { origin: Origin, time: number }>()
  const add = (table: typeof self, frame: Frame, time: number): void => {
    const entry = table.get(frame.name) ?? { origin: frame.origin, time: 0 }
    entry.time += time
    table.set(frame.name, entry)
  }
  const walk = (frame: Frame, onStack: Set<string>): void => {
    add(self, frame, frame.self)
    // A recursive function is on the stack once, however deep: its time is not counted twice.
    if (!onStack.has(frame.name)) add(inclusive, frame, frame.total)
    const below = new Set(onStack).add(frame.name)
    for (const child of frame.children) walk(child, below)
  }
  for (const child of root.children) walk(child, new Set())
  const busy = root.total || 1
  const top = (table: typeof self): HotSpot[] => [...table]
    .sort((a, b) => b[1].time - a[1].time)
    .slice(0, count)
    .map(([name, { origin, time }]) => ({ name, origin, share: time / busy }))
  return { self: top(self), inclusive: top(inclusive) }
}

const COLOURS: Record<Origin, string> = { hookflow: '#e8743b', dependency: '#f2c14e', node: '#7fb7be', v8: '#b5b5b5' }
const WIDTH = 1600
const ROW = 17
/** Narrower boxes are left out: they would be unreadable slivers. */
const MIN_WIDTH = 0.5

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** An SVG flame graph: callers at the bottom, each box's title (hover) names it with its share. */
export function flameGraphSvg (root: Frame, title: string, rootLabel?: string): string {
  const busy = root.total || 1
  const boxes: string[] = []
  let depth = 0
  const place = (frame: Frame, x: number, level: number): void => {
    const width = frame.total / busy * WIDTH
    if (width < MIN_WIDTH) return
    depth = Math.max(depth, level)
    const share = `${(frame.total / busy * 100).toFixed(1)} %, self ${(frame.self / busy * 100).toFixed(1)} %`
    boxes.push(`<g data-level="${level}"><title>${escapeXml(`${frame.name} (${share})`)}</title>` +
      `<rect x="${x.toFixed(1)}" y="LEVEL${level}" width="${width.toFixed(1)}" height="${ROW - 1}" fill="${COLOURS[frame.origin]}"/>` +
      (width > 40 ? `<text x="${(x + 3).toFixed(1)}" y="TEXT${level}">${escapeXml(frame.name.slice(0, Math.floor(width / 7)))}</text>` : '') + '</g>')
    let childX = x
    for (const child of frame.children) {
      place(child, childX, level + 1)
      childX += child.total / busy * WIDTH
    }
  }
  place({ ...root, name: rootLabel ?? `all (busy ${(busy / 1000).toFixed(0)} ms)` }, 0, 0)
  const height = (depth + 1) * ROW + 60
  // Levels are laid out bottom-up once the depth is known.
  const body = boxes.join('\n')
    .replace(/y="LEVEL(\d+)"/g, (_, level: string) => `y="${height - 30 - (Number(level) + 1) * ROW}"`)
    .replace(/y="TEXT(\d+)"/g, (_, level: string) => `y="${height - 30 - (Number(level) + 1) * ROW + 12}"`)
  const legend = (Object.keys(COLOURS) as Origin[]).map((origin, i) =>
    `<rect x="${10 + i * 130}" y="${height - 20}" width="12" height="12" fill="${COLOURS[origin]}"/><text x="${26 + i * 130}" y="${height - 10}">${origin}</text>`).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="11">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="18" font-size="14">${escapeXml(title)}</text>
${body}
${legend}
</svg>
`
}
