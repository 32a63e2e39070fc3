import type { Run, RunSummary } from '../../runs/types.js'
import { html, type Html } from '../html.js'
import type { ConsoleViewer } from '../session.js'
import { timelineSvg } from '../timeline.js'
import { csrfField, layout, statusBadge, timeCell } from './layout.js'
import { runRows } from './runs.js'

export interface RunPageData {
  viewer: ConsoleViewer
  run: Run
  children: RunSummary[]
  replays: RunSummary[]
  notice?: { text: string, error?: boolean }
}

const json = (value: unknown): string => value === null || value === undefined ? '–' : JSON.stringify(value, null, 2)

const CANCELLABLE = new Set(['queued', 'running'])

function actions ({ viewer, run }: RunPageData): Html {
  // Viewers see no buttons; the routes refuse them anyway.
  if (viewer.role !== 'admin') return html``
  return html`<div class="actions">
  <form method="post" action="/console/runs/${run.id}/replay">${csrfField(viewer)}<button id="replay" class="primary" type="submit">Replay</button></form>
  ${run.async && CANCELLABLE.has(run.status)
    ? html`<form method="post" action="/console/runs/${run.id}/cancel" data-confirm="Cancel run #${run.id}?">${csrfField(viewer)}<button id="cancel" class="danger" type="submit">Cancel</button></form>`
    : ''}
</div>`
}

function relatedTable (id: string, runs: RunSummary[]): Html {
  return html`<table id="${id}">
  <thead><tr><th>Run</th><th>Status</th><th>Kind</th><th>Endpoint</th><th>Scenario</th><th>Attempt</th><th>Created (UTC)</th><th>Duration</th><th>Links</th></tr></thead>
  <tbody>${runRows(runs)}</tbody>
</table>`
}

export function runPage (data: RunPageData): Html {
  const { run } = data
  const duration = run.startedAt !== null && run.finishedAt !== null ? `${run.finishedAt - run.startedAt} ms` : '–'
  return layout({
    title: `Run #${run.id}`,
    viewer: data.viewer,
    section: 'runs',
    body: html`<h1>Run #${run.id} ${statusBadge(run.status)}</h1>
${data.notice === undefined ? '' : html`<p class="notice${data.notice.error === true ? ' error' : ''}" role="status">${data.notice.text}</p>`}
${actions(data)}
<dl class="facts">
  <dt>Kind</dt><dd>${run.kind}${run.async ? ' (async)' : ' (sync)'}</dd>
  <dt>Endpoint</dt><dd>${run.endpoint ?? '–'}</dd>
  <dt>Scenario</dt><dd>${run.scenario}</dd>
  <dt>Attempt</dt><dd>${run.attempt}</dd>
  <dt>Created</dt><dd>${timeCell(run.createdAt)}</dd>
  <dt>Started</dt><dd>${timeCell(run.startedAt)}</dd>
  <dt>Finished</dt><dd>${timeCell(run.finishedAt)}</dd>
  <dt>Duration</dt><dd>${duration} <span class="muted">(limit ${run.timeoutMs} ms)</span></dd>
  <dt>Parent</dt><dd id="parent">${run.parentRunId === null ? '–' : html`<a href="/console/runs/${run.parentRunId}">#${run.parentRunId}</a>`}</dd>
  <dt>Replay of</dt><dd id="replay-of">${run.replayOf === null ? '–' : html`<a href="/console/runs/${run.replayOf}">#${run.replayOf}</a>`}</dd>
</dl>
<h2>Step timeline</h2>
${timelineSvg(run.steps, run.startedAt, run.finishedAt)}
<h2>Steps</h2>
<table id="steps">
  <thead><tr><th>Path</th><th>Kind</th><th>Name</th><th>Status</th><th>Attempt</th><th>Start</th><th>Duration</th><th>Error / output</th></tr></thead>
  <tbody>${run.steps.map((step) => html`<tr>
    <td><code>${step.path}</code></td><td>${step.kind}</td><td>${step.name ?? ''}</td><td>${statusBadge(step.status)}</td>
    <td class="num">${step.attempt ?? 1}</td>
    <td class="num">+${run.startedAt === null ? 0 : step.startedAt - run.startedAt} ms</td>
    <td class="num">${step.durationMs} ms</td>
    <td>${step.error === undefined ? '' : html`<div class="notice error">${step.error}</div>`}${step.output === undefined ? '' : html`<code>${step.output}</code>`}</td>
  </tr>`)}</tbody>
</table>
<div class="grid2">
  <section><h2>Input</h2><pre id="input">${json(run.input)}</pre></section>
  <section><h2>Output</h2><pre id="output">${json(run.output)}</pre></section>
</div>
${run.error === null ? '' : html`<h2>Error</h2><pre id="error">${json(run.error)}</pre>`}
<h2>Child runs (emitted)</h2>
${data.children.length === 0 ? html`<p class="muted">None.</p>` : relatedTable('children', data.children)}
<h2>Replays</h2>
${data.replays.length === 0 ? html`<p class="muted">None.</p>` : relatedTable('replays', data.replays)}`
  })
}
