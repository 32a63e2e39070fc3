import { html, type Html } from '../html.js'
import type { ConsoleViewer } from '../session.js'

export interface PageOptions {
  title: string
  viewer?: ConsoleViewer
  /** The navigation entry to mark as current. */
  section?: 'runs' | 'endpoints'
  body: Html
}

/** The frame of every console page: one stylesheet, one script, both from 'self'. */
export function layout ({ title, viewer, section, body }: PageOptions): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · hookflow</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
${viewer === undefined
  ? ''
  : html`<header class="top">
  <span class="brand">hookflow</span>
  <nav>
    <a href="/console/runs" class="${section === 'runs' ? 'current' : ''}">Runs</a>
    <a href="/console/endpoints" class="${section === 'endpoints' ? 'current' : ''}">Endpoints</a>
  </nav>
  <span class="who"><span id="who">${viewer.name} (${viewer.role})</span>
    <form method="post" action="/console/logout">${csrfField(viewer)}<button type="submit">Log out</button></form>
  </span>
</header>`}
<main>
${body}
</main>
</body>
</html>
`
}

/** The hidden field every console form carries; POSTs without it are refused. */
export const csrfField = (viewer: ConsoleViewer): Html => html`<input type="hidden" name="csrf" value="${viewer.csrf}">`

/** A time as UTC `YYYY-MM-DD HH:MM:SS`, the full ISO form in its tooltip. */
export function timeCell (ms: number | null): Html {
  if (ms === null) return html`<span class="muted">–</span>`
  const iso = new Date(ms).toISOString()
  return html`<time datetime="${iso}" title="${iso}">${iso.slice(0, 19).replace('T', ' ')}</time>`
}

export const statusBadge = (status: string): Html => html`<span class="status status-${status}">${status}</span>`
