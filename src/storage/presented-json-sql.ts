/**
 * A run summary as the API presents it (src/runs/present.ts), as SQLite keeps it with each row
 * (`summary_json`, migrations 011 and 012: stored once the run has ended, built on reading while it
 * is queued or running): every key up to `error`, in presentRun's order, so a page of 50
 * is neither keyed, nor presented, nor serialised in JavaScript, which was most of a page's CPU and
 * its garbage (docs/performance.md, case 7). writeRunPage (runs/run-page-body.ts) appends the times
 * and the duration by presentRun's own rules, because SQLite's date functions cost ~0.4 µs a call
 * (60 of a page's 170 µs) against writeIsoTime's cached day. The test compares the page with
 * presentRun's JSON for every kind of value.
 */
export const SUMMARY_JSON_HEAD = 'summary_json'

/** The columns after the head, in RunJsonRow's order. */
export const TIME_COLUMNS = 'created_at, started_at, finished_at'
