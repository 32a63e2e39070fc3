/**
 * Rows in the case's order in odd rounds and reversed in even ones. In one fixed order a row
 * always follows the same neighbour (its drain, its garbage, its page cache): paired runs here
 * put the first-measured of two servers 10–20 % ahead (docs/performance.md, Findings), which is
 * as large as the margins some targets are judged by.
 */
export function roundOrder<T> (rows: readonly T[], round: number): readonly T[] {
  return round % 2 === 1 ? rows : [...rows].reverse()
}
