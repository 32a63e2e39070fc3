import { LabelTree } from './label-tree.js'
import type { Sample, ScrapedMetric } from './scraped-metric.js'

interface Tally { buckets: number[], sum: number, count: number }

/**
 * A Prometheus histogram counted in a LabelTree and turned into prom-client's shape only when
 * scraped, so the registry prints it exactly as it prints its own Histogram: cumulative
 * `_bucket` lines with `le` first, then `+Inf`, `_sum` and `_count`.
 */
export class TallyHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly tallies: LabelTree<Tally>

  constructor (readonly name: string, readonly help: string, labelNames: readonly string[], private readonly upperBounds: readonly number[]) {
    this.tallies = new LabelTree(labelNames, () => ({ buckets: upperBounds.map(() => 0), sum: 0, count: 0 }))
  }

  /** Label values in the order of the label names. */
  observe (labelValues: readonly string[], value: number): void {
    const tally = this.tallies.at(labelValues)
    tally.sum += value
    tally.count++
    const bound = this.upperBounds.findIndex((upper) => value <= upper)
    if (bound >= 0) tally.buckets[bound]++
  }

  reset (): void { this.tallies.clear() }

  async get (): Promise<ScrapedMetric> {
    const values: Sample[] = []
    for (const [labels, tally] of this.tallies.entries()) {
      let cumulative = 0
      this.upperBounds.forEach((upper, i) => {
        cumulative += tally.buckets[i]
        values.push({ metricName: `${this.name}_bucket`, labels: { le: upper, ...labels }, value: cumulative })
      })
      values.push(
        { metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...labels }, value: tally.count },
        { metricName: `${this.name}_sum`, labels, value: tally.sum },
        { metricName: `${this.name}_count`, labels, value: tally.count }
      )
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }
}
