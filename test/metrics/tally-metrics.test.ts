import { Counter, Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createMetrics } from '../../src/metrics/metrics.js'

const buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300]
const durations: Array<[string, string, number]> = [
  ['echo', 'succeeded', 0.0004], ['echo', 'succeeded', 0.001], ['echo', 'failed', 0.2],
  ['slow', 'succeeded', 4], ['slow', 'succeeded', 301], ['echo', 'succeeded', 0.03]
]
const requests: Array<[string, string, string]> = [
  ['POST', '/api/webrequest/:slug', '200'], ['POST', '/api/webrequest/:slug', '200'],
  ['GET', '/api/runs', '401'], ['POST', '/api/webrequest/:slug', '404']
]

/** The text prom-client's own Counter and Histogram print for the same observations. */
async function promClientText (): Promise<string> {
  const registry = new Registry()
  const counter = new Counter({ name: 'hookflow_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] })
  const histogram = new Histogram({ name: 'hookflow_run_duration_seconds', help: 'Run durations by scenario and final status', labelNames: ['scenario', 'status'], buckets, registers: [registry] })
  for (const [method, route, status] of requests) counter.inc({ method, route, status })
  for (const [scenario, status, seconds] of durations) histogram.observe({ scenario, status }, seconds)
  return await registry.metrics()
}

/** The lines of a scrape that belong to one metric, sorted: Prometheus reads a family's samples in any order. */
const section = (text: string, name: string): string =>
  text.split('\n').filter((line) => line.includes(name)).sort().join('\n')

describe('tallied metrics', () => {
  it('print the same samples prom-client prints for the same requests and run durations', async () => {
    const metrics = createMetrics()
    for (const labels of requests) metrics.requests.inc(labels)
    for (const [scenario, status, seconds] of durations) metrics.runDuration.observe([scenario, status], seconds)
    const ours = await metrics.registry.metrics()
    const theirs = await promClientText()
    for (const name of ['hookflow_http_requests_total', 'hookflow_run_duration_seconds']) {
      expect(section(ours, name)).not.toBe('')
      expect(section(ours, name)).toBe(section(theirs, name))
    }
  })

  it('count on across scrapes and start again after a reset', async () => {
    const metrics = createMetrics()
    metrics.requests.inc(['GET', '/healthz', '200'])
    await metrics.registry.metrics()
    metrics.requests.inc(['GET', '/healthz', '200'])
    metrics.runDuration.observe(['echo', 'succeeded'], 0.002)
    let text = await metrics.registry.metrics()
    expect(text).toContain('hookflow_http_requests_total{method="GET",route="/healthz",status="200"} 2')
    expect(text).toContain('hookflow_run_duration_seconds_bucket{le="0.005",scenario="echo",status="succeeded"} 1')
    expect(text).toContain('hookflow_run_duration_seconds_count{scenario="echo",status="succeeded"} 1')
    metrics.registry.resetMetrics()
    text = await metrics.registry.metrics()
    expect(text).not.toContain('hookflow_run_duration_seconds_count{')
    expect(text).not.toContain('hookflow_http_requests_total{')
  })
})
