/** One printed line, as prom-client's registry reads it from a metric's `get()`. */
export interface Sample { metricName: string, labels: Record<string, string | number>, value: number }

/** What a metric's `get()` gives prom-client's registry to print (and `reset()` to clear it). */
export interface ScrapedMetric { name: string, help: string, type: string, aggregator: string, values: Sample[] }
