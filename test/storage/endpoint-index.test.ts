import { describe, expect, it } from 'vitest'
import { indexEndpoints } from '../../src/storage/endpoint-index.js'
import type { Endpoint } from '../../src/storage/types.js'

const endpoint = (kind: string, slug: string): Endpoint =>
  ({ kind, slug, title: null, scenario: 's', enabled: true, timeoutMs: 1000, settings: {} })

describe('indexEndpoints', () => {
  it('finds by kind and slug, and keeps a slug of one kind apart from the same slug of another', () => {
    const index = indexEndpoints([endpoint('webrequest', 'a'), endpoint('event', 'a')])
    expect(index.find('webrequest', 'a')?.kind).toBe('webrequest')
    expect(index.find('event', 'a')?.kind).toBe('event')
    expect(index.find('webrequest', 'b')).toBeUndefined()
    expect(index.find('collection', 'a')).toBeUndefined()
  })

  it('lists by kind, then slug, and a caller changing the list changes nothing', () => {
    const index = indexEndpoints([endpoint('webrequest', 'b'), endpoint('event', 'z'), endpoint('webrequest', 'a')])
    const list = index.list()
    expect(list.map((e) => `${e.kind}/${e.slug}`)).toEqual(['event/z', 'webrequest/a', 'webrequest/b'])
    list.pop()
    expect(index.list()).toHaveLength(3)
  })
})
