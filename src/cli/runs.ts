import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

export const RUNS_HELP = `hookflow runs list [--status S] [--endpoint E] [--scenario N] [--limit N]
hookflow runs show ID
hookflow runs replay ID... | --status dead [--endpoint E]   (bulk replay shows progress)
hookflow runs cancel ID
  Over the admin API: --url (default http://127.0.0.1:3234), token from --token-file or
  HOOKFLOW_ADMIN_TOKEN.`

interface RunSummary { id: number, status: string, endpoint: string | null, scenario: string, attempt: number, createdAt: string, durationMs: number | null }

export async function runsCommand (argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3234' },
      'token-file': { type: 'string' },
      status: { type: 'string' },
      endpoint: { type: 'string' },
      scenario: { type: 'string' },
      limit: { type: 'string', default: '50' }
    },
    allowPositionals: true,
    strict: true
  })
  const [action, ...ids] = positionals
  const token = values['token-file'] !== undefined ? readFileSync(values['token-file'], 'utf8').trim() : env.HOOKFLOW_ADMIN_TOKEN
  if (action === undefined || token === undefined) {
    out(RUNS_HELP)
    return 2
  }
  const base = values.url.replace(/\/+$/, '')
  const call = async (method: 'GET' | 'POST', path: string): Promise<{ status: number, body: any }> => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } })
    return { status: res.status, body: await res.json() }
  }
  const filters = (): string => new URLSearchParams(Object.entries({ status: values.status, endpoint: values.endpoint, scenario: values.scenario })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)).toString()

  switch (action) {
    case 'list': {
      const { status, body } = await call('GET', `/api/runs?limit=${values.limit}&${filters()}`)
      if (status !== 200) return failed(out, status, body)
      for (const run of body.data as RunSummary[]) {
        out(`${String(run.id).padStart(8)}  ${run.status.padEnd(10)} ${(run.endpoint ?? '-').padEnd(20)} ${run.scenario.padEnd(20)} attempt ${run.attempt}  ${run.createdAt}  ${run.durationMs ?? '-'} ms`)
      }
      if (body.nextCursor !== null) out(`… more: --limit, or the API with cursor=${body.nextCursor}`)
      return 0
    }
    case 'show': {
      const { status, body } = await call('GET', `/api/runs/${ids[0]}`)
      if (status !== 200) return failed(out, status, body)
      out(JSON.stringify(body, null, 2))
      return 0
    }
    case 'cancel': {
      const { status, body } = await call('POST', `/api/runs/${ids[0]}/cancel`)
      if (status !== 200) return failed(out, status, body)
      out(`run ${body.runId} cancelled`)
      return 0
    }
    case 'replay': {
      let targets = ids.map(Number)
      if (targets.length === 0 && values.status !== undefined) {
        const { status, body } = await call('GET', `/api/runs?limit=500&${filters()}`)
        if (status !== 200) return failed(out, status, body)
        targets = (body.data as RunSummary[]).map((run) => run.id)
      }
      let done = 0
      for (const id of targets) {
        const { status, body } = await call('POST', `/api/runs/${id}/replay`)
        if (status !== 202) return failed(out, status, body)
        done += 1
        out(`replay ${done}/${targets.length}: run ${id} → run ${body.runId}`)
      }
      return 0
    }
    default:
      out(RUNS_HELP)
      return 2
  }
}

function failed (out: (line: string) => void, status: number, body: { error?: string }): number {
  out(`error ${status}: ${body.error ?? JSON.stringify(body)}`)
  return 1
}
