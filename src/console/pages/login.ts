import { html, type Html } from '../html.js'
import { layout } from './layout.js'

/** The login form: an admin or viewer token, nothing else. */
export function loginPage (problem?: string): Html {
  return layout({
    title: 'Log in',
    body: html`<form class="login" method="post" action="/console/login">
  <h1>hookflow console</h1>
  ${problem === undefined ? '' : html`<p class="notice error" role="alert">${problem}</p>`}
  <label>Admin or viewer token
    <input type="password" name="token" autocomplete="current-password" required autofocus>
  </label>
  <button class="primary" type="submit">Log in</button>
  <p class="muted">Tokens are configured under <code>admin.tokens</code>.</p>
</form>`
  })
}
