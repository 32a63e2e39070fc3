type Node<T> = Map<string, Node<T> | T>

/**
 * One value per combination of label values, found through nested Maps: the hot path walks a
 * Map per label and builds neither a key string nor a labels object (prom-client builds both
 * on every inc and observe; docs/performance.md, "metrics").
 */
export class LabelTree<T> {
  private root: Node<T> = new Map()

  constructor (private readonly labelNames: readonly string[], private readonly create: () => T) {}

  /** The value under these label values, in `labelNames` order; created on first use. */
  at (values: readonly string[]): T {
    let node = this.root
    const last = this.labelNames.length - 1
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]) as Node<T> | undefined
      if (next === undefined) {
        next = new Map()
        node.set(values[i], next)
      }
      node = next
    }
    let leaf = node.get(values[last]) as T | undefined
    if (leaf === undefined) {
      leaf = this.create()
      node.set(values[last], leaf)
    }
    return leaf
  }

  /** Every value with its labels, for a scrape. */
  * entries (): Generator<[Record<string, string>, T]> {
    yield * this.walk(this.root, 0, {})
  }

  clear (): void { this.root = new Map() }

  private * walk (node: Node<T>, depth: number, labels: Record<string, string>): Generator<[Record<string, string>, T]> {
    for (const [value, child] of node) {
      const here = { ...labels, [this.labelNames[depth]]: value }
      if (depth === this.labelNames.length - 1) yield [here, child as T]
      else yield * this.walk(child as Node<T>, depth + 1, here)
    }
  }
}
