import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { childPids, childrenFromStat, treePids } from '../../bench/process-tree.js'

describe('the bench finding a server\'s children', () => {
  let child: ChildProcess | undefined
  afterEach(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill()
      await once(child, 'exit')
    }
  })

  const startChild = async (): Promise<number> => {
    child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' })
    await once(child, 'spawn')
    return child.pid!
  }

  it('lists a process\'s direct children from /proc, as pgrep -P would', async () => {
    const pid = await startChild()
    expect(await childPids(process.pid)).toContain(pid)
    expect(await treePids(process.pid)).toEqual([process.pid, ...await childPids(process.pid)])
    expect(await childPids(pid)).toEqual([])
  })

  it('finds the same children by every process\'s parent where the kernel lists none', async () => {
    const pid = await startChild()
    expect(await childrenFromStat(process.pid)).toContain(pid)
    expect((await childrenFromStat(process.pid)).sort()).toEqual((await childPids(process.pid)).sort())
  })

  it('gives a process that is gone no children instead of failing', async () => {
    const pid = await startChild()
    child!.kill()
    await once(child!, 'exit')
    expect(await childPids(pid)).toEqual([])
  })

})
