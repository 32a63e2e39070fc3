import { afterEach, describe, expect, it, vi } from 'vitest'
import { EgressConfig } from '../../src/config/egress.js'
import { startFakeService } from './fake-service.js'

describe('the egress client loads lazily', () => {
  afterEach(() => {
    vi.doUnmock('undici')
    vi.resetModules()
  })

  it('tries to load undici again after a failed load (a transient EMFILE must not disable egress until restart)', async () => {
    const fake = await startFakeService()
    try {
      let loads = 0
      vi.doMock('undici', async (importOriginal) => {
        loads++
        if (loads === 1) throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' })
        return await importOriginal()
      })
      const { createEgress } = await import('../../src/egress/egress.js')
      const egress = createEgress(EgressConfig.parse({ allow: [`http://127\\.0\\.0\\.1:${fake.port}/.*`], ports: [fake.port], allowNetworks: ['127.0.0.1'] }))
      const call = { method: 'GET', url: `${fake.base}/echo`, headers: {}, identity: {}, dropAuthorization: false }
      await expect(egress.send(call, new AbortController().signal)).rejects.toThrow(/upstream failed/)
      const reply = await egress.send(call, new AbortController().signal)
      expect(reply.status).toBe(200)
      expect(loads).toBe(2)
    } finally {
      fake.server.close()
    }
  })
})
