import type { RunListQuery } from '../../runs/run-list-query.js'
import { RUN_STATUSES, type RunSummary } from '../../runs/types.js'
import { html, queryString, type Html } from '../html.js'
import type { ConsoleViewer } from '../session.js'
import { layout, statusBadge, timeCell } from './layout.js'

/** The filters as the form sent them, to fill the form again and to build links. */
export interface RunFilterForm {
  status?: string
  endpoint?: string
  scenario?: string
  from?: string
  to?: string
  limit?: string
}

export interface RunsPageData {
  viewer: ConsoleViewer
  form: RunFilterForm
  query?: RunListQuery
  runs: RunSummary[]
  nextCursor: string | null
  /** A filter that did not parse: shown instead of results. */
  problem?: string
  /** Names to suggest in the endpoint and scenario filters. */
  endpoints: string[]
  scenarios: string[]
}

const duration = (run: RunSummary): string =>
  run.startedAt !== null && run.finishedAt !== null ? `${run.finishedAt - run.startedAt} ms` : ''

/** The table's rows: also what the live refresh fetches. */
export function runRows (runs: RunSummary[]): Html {
  if (runs.length === 0) return html`<tr><td colspan="9" class="muted">No runs match.</td></tr>`
  return html`${runs.map((run) => html`<tr data-run-id="${run.id}">
  <td class="num"><a href="/console/runs/${run.id}">#${run.id}</a></td>
  <td>${statusBadge(run.status)}</td>
  <td>${run.kind}${run.async ? html` <span class="muted">async</span>` : ''}</td>
  <td>${run.endpoint ?? html`<span class="muted">–</span>`}</td>
  <td>${run.scenario}</td>
  <td class="num">${run.attempt}</td>
  <td>${timeCell(run.createdAt)}</td>
  <td class="num">${duration(run)}</td>
  <td>${run.parentRunId === null ? '' : html`parent <a href="/console/runs/${run.parentRunId}">#${run.parentRunId}</a>`}${run.replayOf === null ? '' : html` replay of <a href="/console/runs/${run.replayOf}">#${run.replayOf}</a>`}</td>
</tr>`)}`
}

export function runsPage (data: RunsPageData): Html {
  const { form } = data
  const filters = { status: form.status, endpoint: form.endpoint, scenario: form.scenario, from: form.from, to: form.to, limit: form.limit }
  const firstPage = data.query?.cursor === undefined
  const options = (names: string[]) => names.map((name) => html`<option value="${name}"></option>`)
  return layout({
    title: 'Runs',
    viewer: data.viewer,
    section: 'runs',
    body: html`<h1>Runs</h1>
<form class="filters" method="get" action="/console/runs">
  <label>Status
    <select name="status"><option value="">any</option>${RUN_STATUSES.map((status) => html`<option value="${status}"${status === form.status ? html` selected` : ''}>${status}</option>`)}</select>
  </label>
  <label>Endpoint <input name="endpoint" list="endpoint-names" value="${form.endpoint ?? ''}" size="14"></label>
  <label>Scenario <input name="scenario" list="scenario-names" value="${form.scenario ?? ''}" size="14"></label>
  <label>From (UTC) <input type="datetime-local" step="1" name="from" value="${form.from ?? ''}"></label>
  <label>To (UTC) <input type="datetime-local" step="1" name="to" value="${form.to ?? ''}"></label>
  <button type="submit" class="primary">Filter</button>
  <a href="/console/runs">Clear</a>
  <datalist id="endpoint-names">${options(data.endpoints)}</datalist>
  <datalist id="scenario-names">${options(data.scenarios)}</datalist>
</form>
${data.problem === undefined ? '' : html`<p class="notice error" role="alert">${data.problem}</p>`}
<div class="bar">
  ${firstPage
    ? html`<label><input type="checkbox" id="live" checked> Live</label> <span id="refreshed"></span>`
    : html`<span>Live refresh is off while paging.</span>`}
</div>
<table id="runs"${firstPage && data.problem === undefined ? html` data-rows="/console/runs/rows${queryString(filters)}"` : ''}>
  <thead><tr><th>Run</th><th>Status</th><th>Kind</th><th>Endpoint</th><th>Scenario</th><th>Attempt</th><th>Created (UTC)</th><th>Duration</th><th>Links</th></tr></thead>
  <tbody>${runRows(data.runs)}</tbody>
</table>
<div class="pager">
  ${firstPage ? '' : html`<a href="/console/runs${queryString(filters)}">← Newest</a>`}
  ${data.nextCursor === null ? '' : html`<a id="older" href="/console/runs${queryString({ ...filters, cursor: data.nextCursor })}">Older →</a>`}
</div>`
  })
}
