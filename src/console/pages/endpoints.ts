import type { EntryPoint } from '../../admin/entry-point-list.js'
import { withBase } from '../../admin/entry-point-list.js'
import { html, queryString, type Html } from '../html.js'
import type { ConsoleViewer } from '../session.js'
import { layout } from './layout.js'

export type ListedEntryPoint = EntryPoint & { runsLast24h?: Record<string, number> }

const TITLES = { webrequest: 'Web request', event: 'Event', collection: 'Collection', workflow: 'Workflow', proxy: 'Proxy' } as const

function counts (entry: ListedEntryPoint): Html {
  if (entry.runsLast24h === undefined) return html`<span class="muted">–</span>`
  const entries = Object.entries(entry.runsLast24h)
  if (entries.length === 0) return html`<span class="muted">none</span>`
  const runsLink = (status: string) => `/console/runs${queryString({ endpoint: entry.name, status })}`
  return html`${entries.map(([status, n], i) => html`${i > 0 ? ' · ' : ''}<a href="${runsLink(status)}">${status} ${n}</a>`)}`
}

/** Every entry point with its full URL, state, last day's runs and a curl line to copy. */
export function endpointsPage (viewer: ConsoleViewer, entries: ListedEntryPoint[], base: string): Html {
  return layout({
    title: 'Endpoints',
    viewer,
    section: 'endpoints',
    body: html`<h1>Endpoints</h1>
<table id="endpoints">
  <thead><tr><th>Kind</th><th>Name</th><th>URL</th><th>Scenario</th><th>State</th><th>Runs, last 24 h</th></tr></thead>
  <tbody>${entries.map((entry, i) => html`<tr data-kind="${entry.kind}" data-name="${entry.name}">
    <td>${TITLES[entry.kind]}</td>
    <td>${entry.name}${entry.localOnly === true ? html` <span class="muted">(local calls only)</span>` : ''}${entry.clients === undefined ? '' : html` <span class="muted">(${entry.clients.join(', ')})</span>`}</td>
    <td><code>${base}${entry.path}</code></td>
    <td>${entry.scenario ?? '–'}</td>
    <td>${entry.enabled ? 'enabled' : html`<span class="muted">disabled</span>`}</td>
    <td>${counts(entry)}</td>
  </tr>
  <tr class="examples"><td></td><td colspan="5">${entry.examples.map((example, j) => html`<div class="example">
    <code class="curl" id="example-${i}-${j}">${withBase(example, base)}</code>
    <button type="button" data-copy="example-${i}-${j}">Copy</button>
  </div>`)}</td></tr>`)}</tbody>
</table>`
  })
}
