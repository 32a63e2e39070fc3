import { availableParallelism, cpus, release, totalmem } from 'node:os'

export interface MachineInfo {
  cores: number
  cpu: string
  memoryGb: number
  node: string
  kernel: string
}

/** Kept with the results: figures from another machine are not comparable. */
export function describeMachine (): MachineInfo {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release()
  }
}
