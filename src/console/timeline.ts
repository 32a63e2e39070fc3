import type { StepLogEntry } from '../runner/types.js'
import { html, type Html } from './html.js'

const WIDTH = 1000
const LABEL = 300
const BARS = WIDTH - LABEL - 80
const ROW = 22
/** Beyond this many steps the picture stops helping; the table below still lists every entry. */
export const MAX_TIMELINE_STEPS = 200

export interface Bar { x: number, width: number }

/** Where a step's bar sits on the run's time axis, in viewBox units; at least 2 wide so instant steps show. */
export function barFor (step: Pick<StepLogEntry, 'startedAt' | 'durationMs'>, start: number, span: number): Bar {
  const x = Math.min(LABEL + BARS - 2, LABEL + Math.max(0, Math.min(1, (step.startedAt - start) / span)) * BARS)
  const width = Math.max(2, Math.min(LABEL + BARS - x, (step.durationMs / span) * BARS))
  return { x: Math.round(x * 10) / 10, width: Math.round(width * 10) / 10 }
}

const label = (step: StepLogEntry): string => {
  // `scenarios.order.steps[2]` → `steps[2]`: the run page already names the scenario.
  const text = `${step.path.replace(/^scenarios\.[^.]+\./, '')} ${step.kind}${step.name === undefined ? '' : ` "${step.name}"`}`
  return text.length > 44 ? `${text.slice(0, 43)}…` : text
}

/**
 * The step log drawn as duration bars on the run's time axis. SVG attributes, not inline
 * styles, so the strict Content-Security-Policy holds.
 */
export function timelineSvg (steps: StepLogEntry[], runStart: number | null, runEnd: number | null): Html {
  const shown = steps.slice(0, MAX_TIMELINE_STEPS)
  if (shown.length === 0) return html`<p class="muted">No steps were logged.</p>`
  const start = runStart ?? Math.min(...shown.map((step) => step.startedAt))
  const end = Math.max(runEnd ?? 0, ...shown.map((step) => step.startedAt + step.durationMs))
  const span = Math.max(1, end - start)
  const height = (shown.length + 1) * ROW + 6
  return html`<svg class="timeline" id="timeline" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Step timeline, ${span} ms">
  <text x="${LABEL}" y="14" class="muted">0 ms</text>
  <text x="${LABEL + BARS}" y="14" class="muted" text-anchor="end">${span} ms</text>
  ${shown.map((step, i) => {
    const y = (i + 1) * ROW
    const bar = barFor(step, start, span)
    return html`<g class="step" data-status="${step.status}">
    <title>${step.path} ${step.kind}: ${step.status}, ${step.durationMs} ms${step.error === undefined ? '' : ` (${step.error})`}</title>
    <text x="4" y="${y + 15}">${label(step)}</text>
    <rect class="bar-${step.status}" x="${bar.x}" y="${y + 4}" width="${bar.width}" height="${ROW - 8}" rx="2"></rect>
    <text x="${Math.min(bar.x + bar.width + 6, WIDTH - 70)}" y="${y + 15}" class="muted">${step.durationMs} ms</text>
  </g>`
  })}
</svg>${steps.length > shown.length ? html`<p class="muted">The timeline shows the first ${shown.length} of ${steps.length} log entries.</p>` : ''}`
}
