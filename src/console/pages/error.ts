import { html, type Html } from '../html.js'
import type { ConsoleViewer } from '../session.js'
import { layout } from './layout.js'

export function errorPage (status: number, message: string, viewer?: ConsoleViewer): Html {
  return layout({
    title: `Error ${status}`,
    viewer,
    body: html`<h1>Error ${status}</h1>
<p class="notice error" role="alert">${message}</p>
<p><a href="${viewer === undefined ? '/console/login' : '/console/runs'}">Back to the console</a></p>`
  })
}
