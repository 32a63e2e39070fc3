import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SeenRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/**
 * A local stand-in for a third-party API: records what reached it and answers per path —
 * `/echo` (what it saw), `/p1` and `/p1-broken` (protocol 1), `/big`, `/trickle`,
 * `/redirect?to=…`.
 */
export async function startFakeService (): Promise<{ server: Server, port: number, base: string, seen: SeenRequest[] }> {
  const seen: SeenRequest[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => { body += chunk.toString() })
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      seen.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body })
      switch (url.pathname) {
        case '/p1': res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 201, body: { unwrapped: true } })); break
        case '/p1-broken': res.writeHead(200, { 'content-type': 'application/json' }).end('{"result": "no status here"}'); break
        case '/big': res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5000)); break
        case '/trickle': {
          res.writeHead(200, { 'content-type': 'text/plain' })
          const timer = setInterval(() => res.write('.'), 200)
          res.on('close', () => clearInterval(timer))
          break
        }
        case '/redirect': res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end(); break
        default: res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end(JSON.stringify({ method: req.method, headers: req.headers, body }))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return { server, port, base: `http://127.0.0.1:${port}`, seen }
}
