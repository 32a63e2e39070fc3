import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, buildTestApp, tempDir, testConfig, VIEWER_TOKEN, type TestApp } from '../helpers.js'

/**
 * The console and CORS as a real browser sees them: Debian's chromium driven by playwright-core.
 * `.ci/run` installs chromium when it is absent; CHROMIUM_PATH points elsewhere.
 * UPDATE_SCREENSHOTS=1 writes the README's screenshots into docs/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(import.meta.dirname, '..', '..', 'docs') : tempDir()

const scenarios = {
  order: {
    steps: [
      { name: 'total', set: { total: '{% $sum(body.lines.(qty * price)) %}' } },
      { name: 'route', switch: '{% total > 100 ? "big" : "small" %}', cases: { big: [{ set: { queue: 'review' } }] }, default: [{ set: { queue: 'auto' } }] },
      { name: 'settle', delay: 40 },
      { name: 'notify', emit: 'notify', input: { total: '{% total %}' } },
      { name: 'reply', set: { $body: { total: '{% total %}', queue: '{% queue %}', note: '{% body.note %}' } } }
    ]
  },
  notify: { steps: [{ delay: 15 }, { set: { $body: 'sent' } }] },
  echo: { steps: [{ set: { $body: { got: '{% body %}' } } }] },
  refund: { steps: [{ name: 'check', set: { amount: '{% body.amount %}' } }, { name: 'refuse', when: '{% amount > 100 %}', fail: { message: 'refunds over 100 need a human', $status: 422, $body: { error: 'needs review' } } }, { set: { $body: 'refunded' } }] }
}

describe('the run console in a browser', () => {
  let hf: TestApp
  let base: string
  let browser: Browser
  let otherOrigin: Server
  let otherBase: string

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`)
    // A page on another origin, for the CORS checks.
    otherOrigin = createServer((_request, response) => response.end('<!doctype html><title>other origin</title><p>elsewhere</p>'))
    await new Promise<void>((resolve) => otherOrigin.listen(0, '127.0.0.1', resolve))
    otherBase = `http://127.0.0.1:${(otherOrigin.address() as AddressInfo).port}`
    hf = await buildTestApp(testConfig({
      scenarios,
      webrequests: [
        { slug: 'orders', scenario: 'order' },
        { slug: 'shared', scenario: 'echo', cors: { origins: [otherBase], methods: ['POST'], headers: ['Content-Type'] } },
        { slug: 'private', scenario: 'echo' },
        { slug: 'refunds', scenario: 'refund' }
      ]
    }))
    base = await hf.app.listen({ host: '127.0.0.1', port: 0 })
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
  })

  afterAll(async () => {
    await browser?.close()
    await hf?.close()
    // Unset when chromium was missing: beforeAll stopped before starting it.
    await new Promise<void>((resolve) => { if (otherOrigin === undefined) resolve(); else otherOrigin.close(() => resolve()) })
  })

  async function loggedIn (token: string): Promise<{ page: Page, dialogs: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    const page = await context.newPage()
    const dialogs: string[] = []
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss() })
    await page.goto(`${base}/console`)
    expect(new URL(page.url()).pathname).toBe('/console/login')
    await page.fill('input[name=token]', token)
    await page.click('button[type=submit]')
    await page.waitForURL(`${base}/console/runs`)
    return { page, dialogs }
  }

  const order = async (body: unknown): Promise<number> => {
    const res = await fetch(`${base}/api/webrequest/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(res.status).toBe(200)
    return Number(res.headers.get('x-run-id'))
  }

  it('shows a new run without reloading, draws its timeline, shows hostile input as text, and replays it', async () => {
    const { page, dialogs } = await loggedIn(ADMIN_TOKEN)
    await page.evaluate(() => { (window as unknown as { stayed: boolean }).stayed = true })
    for (const amount of [20, 500, 35]) await fetch(`${base}/api/webrequest/refunds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount }) })
    const hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    const id = await order({ lines: [{ qty: 3, price: 50 }, { qty: 1, price: 9 }], note: hostile })

    const row = page.locator(`tr[data-run-id="${id}"]`)
    await row.waitFor({ timeout: 10_000 })
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true)
    await expect.poll(async () => await row.locator('.status').textContent(), { timeout: 10_000 }).toBe('succeeded')
    await page.screenshot({ path: join(SCREENSHOTS, 'console-runs.png') })

    await row.locator('a').first().click()
    await page.waitForURL(`${base}/console/runs/${id}`)
    expect(await page.locator('#timeline g.step').count()).toBe(6)
    const bars = await page.locator('#timeline rect').evaluateAll((rects) => rects.map((rect) => (rect as SVGRectElement).getBBox().width))
    expect(bars.every((width) => width >= 2)).toBe(true)
    expect(Math.max(...bars)).toBeGreaterThan(50)
    // The hostile body is on the page as text, and nothing of it ran.
    expect(await page.locator('#input').textContent()).toContain('<script>window.pwned = 1</script><img src=x onerror=')
    expect(await page.locator('#input img, #output img, #input script').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(await page.locator(`#children a`).count()).toBeGreaterThan(0)
    await page.screenshot({ path: join(SCREENSHOTS, 'console-run.png'), fullPage: true })

    await page.click('#replay')
    await page.waitForURL(/\/console\/runs\/\d+\?notice=replayed$/)
    expect(await page.locator('#replay-of a').textContent()).toBe(`#${id}`)
    await page.context().close()
  })

  it('shows no replay button to a viewer', async () => {
    const id = await order({ lines: [{ qty: 1, price: 1 }] })
    const { page } = await loggedIn(VIEWER_TOKEN)
    await page.goto(`${base}/console/runs/${id}`)
    expect(await page.locator('#timeline').count()).toBe(1)
    expect(await page.locator('#replay').count()).toBe(0)
    expect(await page.locator('#who').textContent()).toContain('viewer')
    await page.context().close()
  })

  it('lists the entry points with their full URLs and copies a curl line', async () => {
    const { page } = await loggedIn(VIEWER_TOKEN)
    await page.click('text=Endpoints')
    await page.waitForURL(`${base}/console/endpoints`)
    expect(await page.locator('tr[data-name="orders"] code').textContent()).toBe(`${base}/api/webrequest/orders`)
    const curl = await page.locator('#example-0-0').textContent()
    expect(curl).toContain(`curl -X POST '${base}/api/webrequest/orders'`)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
    await page.click('button[data-copy="example-0-0"]')
    await expect.poll(async () => await page.locator('button[data-copy="example-0-0"]').textContent()).toBe('Copied')
    expect(await page.evaluate(async () => await navigator.clipboard.readText())).toBe(curl)
    await page.context().close()
  })

  it('lets a page on another origin call an endpoint only when its cors policy allows that origin', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(otherBase)
    const call = async (slug: string) => await page.evaluate(async (url) => {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'elsewhere' }) })
        return { ok: true, status: response.status, body: await response.json() as unknown, runId: response.headers.get('x-run-id') }
      } catch (error) {
        return { ok: false, error: String(error) }
      }
    }, `${base}/api/webrequest/${slug}`)

    const allowed = await call('shared')
    expect(allowed).toMatchObject({ ok: true, status: 200, body: { got: { from: 'elsewhere' } } })
    expect(allowed.runId).toMatch(/^\d+$/)
    const blocked = await call('private')
    expect(blocked).toMatchObject({ ok: false })
    expect(blocked.error).toContain('TypeError')
    // The preflight failed, so the request itself was never sent: no run exists for it.
    await hf.runs.flush()
    expect(hf.db.prepare("SELECT count(*) FROM runs WHERE endpoint = 'private'").pluck().get()).toBe(0)
    await context.close()
  })
})

mkdirSync(SCREENSHOTS, { recursive: true })
