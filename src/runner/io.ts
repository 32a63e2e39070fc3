import { setTimeout as sleep } from 'node:timers/promises'
import type { IoRequest, IoResult } from './types.js'

/** Performs a step's I/O on the main thread; an abort (the deadline) rejects. */
export async function performIo (io: IoRequest, signal: AbortSignal): Promise<IoResult> {
  switch (io.kind) {
    case 'delay':
      await sleep(io.ms, undefined, { signal })
      return { ok: true }
  }
}
