import type { ScenarioExecutor } from './executor.js'

/**
 * An executor that can be retired after a reload: runs that started on it keep it (each holds
 * it from start to end), and it closes when the last of them releases it.
 */
export function createRetirable (inner: ScenarioExecutor & { pids?: () => number[] }) {
  let holders = 0
  let retired = false
  let closing: Promise<void> | undefined
  const closeIfIdle = (): void => { if (retired && holders === 0) closing ??= inner.close() }

  return {
    runSegment: inner.runSegment,
    settlesInTurn: inner.settlesInTurn,
    ready: inner.ready,
    pids: inner.pids ?? ((): number[] => []),
    /** Held by a run from its first segment to its end; returns the release. */
    retain (): () => void {
      holders += 1
      let released = false
      return () => {
        if (released) return
        released = true
        holders -= 1
        closeIfIdle()
      }
    },
    retire (): void {
      retired = true
      closeIfIdle()
    },
    close: async (): Promise<void> => {
      retired = true
      await (closing ??= inner.close())
    }
  }
}
