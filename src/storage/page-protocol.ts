import type { RunFilter } from '../runs/types.js'

/** What the page thread is started with. */
export interface PageThreadData {
  path: string
}

/** A list page to read: `filter.limit` is one more than the page shows. */
export interface ToPageThread {
  seq: number
  filter: RunFilter
  limit: number
}

/** The page's JSON body (its bytes, transferred), or why it could not be read. */
export interface FromPageThread {
  seq: number
  body?: ArrayBuffer
  offset?: number
  length?: number
  error?: string
}
