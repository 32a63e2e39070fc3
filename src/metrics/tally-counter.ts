import { LabelTree } from './label-tree.js'
import type { Sample, ScrapedMetric } from './scraped-metric.js'

/**
 * A Prometheus counter counted in a LabelTree and turned into prom-client's shape only when
 * scraped: the registry prints it as it prints its own Counter.
 */
export class TallyCounter {
  readonly type = 'counter'
  readonly aggregator = 'sum'
  private readonly counts: LabelTree<{ value: number }>

  constructor (readonly name: string, readonly help: string, labelNames: readonly string[]) {
    this.counts = new LabelTree(labelNames, () => ({ value: 0 }))
  }

  /** Label values in the order of the label names. */
  inc (labelValues: readonly string[]): void { this.counts.at(labelValues).value++ }

  reset (): void { this.counts.clear() }

  async get (): Promise<ScrapedMetric> {
    const values: Sample[] = []
    for (const [labels, count] of this.counts.entries()) values.push({ metricName: this.name, labels, value: count.value })
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }
}
