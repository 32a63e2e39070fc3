import { setTimeout as sleep } from 'node:timers/promises'
import type { HttpRequest, IoRequest, IoResult, RecordRequest } from './types.js'

/** The run a step's I/O is done for. */
export interface RunContext {
  runId: number
  /** How many `emit`s led to this run (0 for a run started by a request). */
  depth: number
  /** The entry point that started the run (slug, event name, workflow key), for identity headers. */
  endpoint?: string | null
  userId?: string | null
}

/** The I/O that needs more than a timer: wired by whoever owns storage and the network. */
export interface IoHandlers {
  emit?: (request: { scenario: string, input: unknown }, run: RunContext) => Promise<unknown>
  http?: (request: HttpRequest, run: RunContext, signal: AbortSignal) => Promise<unknown>
  record?: (request: RecordRequest, run: RunContext) => Promise<unknown>
}

export type IoPerformer = (io: IoRequest, run: RunContext, signal: AbortSignal) => Promise<IoResult>

/**
 * Performs a step's I/O on the main thread, where waiting costs nothing. An abort (the run's
 * deadline) rejects; any other failure rejects too and becomes the step's error.
 */
export function createIoPerformer (handlers: IoHandlers = {}): IoPerformer {
  return async function performIo (io, run, signal) {
    switch (io.kind) {
      case 'delay':
        await sleep(io.ms, undefined, { signal })
        return { ok: true }
      case 'emit':
        if (handlers.emit === undefined) throw new Error('emit is not available here')
        return { ok: true, value: await handlers.emit(io, run) }
      case 'http':
        if (handlers.http === undefined) throw new Error('http is not available here')
        return { ok: true, value: await handlers.http(io.request, run, signal) }
      case 'record':
        if (handlers.record === undefined) throw new Error('record is not available here')
        return { ok: true, value: await handlers.record(io.request, run) }
    }
  }
}
