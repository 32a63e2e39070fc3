/** One benchmark case: a request sent to every target, and the reply hookflow must give to it. */
export interface BenchCase {
  /** Stable id: the key in bench/results/latest.json. */
  name: string
  title: string
  request: {
    method: 'POST'
    /** Served by bench/config.json in hookflow; B1 answers any path. */
    path: string
    headers: Record<string, string>
    body: string
  }
  /**
   * Checked once per hookflow target before measuring: a misconfigured endpoint answers fast
   * errors, and a benchmark of 404s would look splendid.
   */
  expect: { status: number, body: unknown }
}
