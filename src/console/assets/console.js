// hookflow run console: live refresh of the runs table and copy buttons. Served from 'self'
// under a CSP without 'unsafe-inline'; every fragment it inserts was escaped by the server.
'use strict'

function startLiveRefresh (table) {
  const body = table.querySelector('tbody')
  const toggle = document.getElementById('live')
  const stamp = document.getElementById('refreshed')
  const source = table.dataset.rows
  let busy = false
  async function refresh () {
    if (busy || (toggle !== null && !toggle.checked) || document.hidden) return
    busy = true
    try {
      const response = await fetch(source, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      if (response.status === 401) { window.location.assign('/console/login'); return }
      if (response.ok) {
        body.innerHTML = await response.text()
        if (stamp !== null) stamp.textContent = 'updated ' + new Date().toLocaleTimeString()
      }
    } catch (error) {
      if (stamp !== null) stamp.textContent = 'refresh failed: ' + error.message
    } finally {
      busy = false
    }
  }
  setInterval(refresh, Number(table.dataset.interval || 2000))
}

async function copyText (text) {
  if (navigator.clipboard !== undefined && window.isSecureContext) {
    await navigator.clipboard.writeText(text)
    return
  }
  const area = document.createElement('textarea')
  area.value = text
  document.body.appendChild(area)
  area.select()
  document.execCommand('copy')
  area.remove()
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-copy]')
  if (button === null) return
  const source = document.getElementById(button.dataset.copy)
  if (source === null) return
  copyText(source.textContent).then(() => {
    button.textContent = 'Copied'
    setTimeout(() => { button.textContent = 'Copy' }, 1500)
  }, () => { button.textContent = 'Copy failed' })
})

// Buttons that act ask first; the form still carries the CSRF token.
document.addEventListener('submit', (event) => {
  const message = event.target.dataset.confirm
  if (message !== undefined && !window.confirm(message)) event.preventDefault()
})

for (const table of document.querySelectorAll('table[data-rows]')) startLiveRefresh(table)
