import { describe, expect, it } from 'vitest'
import { roundOrder } from '../../bench/round-order.js'

describe('the order rows take their turns in', () => {
  const rows = ['b1', 'b2', 'empty', '1m']

  it('is the case\'s order in odd rounds and reversed in even ones', () => {
    expect([1, 2, 3, 4].map((round) => roundOrder(rows, round).join(' '))).toEqual([
      'b1 b2 empty 1m', '1m empty b2 b1', 'b1 b2 empty 1m', '1m empty b2 b1'
    ])
  })

  it('gives every row each position equally often over an even number of rounds', () => {
    const positions = new Map(rows.map((row) => [row, 0]))
    for (let round = 1; round <= 6; round++) roundOrder(rows, round).forEach((row, at) => positions.set(row, positions.get(row)! + at))
    expect(new Set(positions.values()).size).toBe(1)
    expect(rows).toEqual(['b1', 'b2', 'empty', '1m'])
  })
})
