import { httpLoad } from '../load-http.js'
import { b1, hookflow } from '../targets.js'
import type { BenchCase } from './bench-case.js'
import { b1Load } from './sync-set-body.js'

const body = { order: 42, name: 'Ann', qty: 3, price: 50, items: [1, 2, 3] }

/** Case 2: five `set` steps with JSONata — arithmetic, concatenation, `$sum`, `$map`, a conditional. */
export const syncJsonata: BenchCase = {
  id: 2,
  name: 'sync-five-jsonata',
  title: 'Case 2: sync web request, five JSONata `set` steps',
  about: '`POST /api/webrequest/five-jsonata`; five `set` steps: `body.qty * body.price`, a string concatenation ' +
    'with `$string`, `$sum(body.items)`, `$map(body.items, function($v) { $v * 2 })`, and a `$body` with a conditional.',
  ratioTo: 'b1',
  drains: false,
  rows: [
    { id: 'b1', label: 'B1 bare Fastify 5', target: b1, baseline: 'b1', load: b1Load },
    {
      id: 'hookflow',
      label: 'hookflow, five JSONata steps',
      target: hookflow,
      load: httpLoad(
        { method: 'POST', path: '/api/webrequest/five-jsonata', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        { status: 200, body: { subtotal: 150, label: 'Ann #42', sum: 6, doubled: [2, 4, 6], tier: 'big' } }
      )
    }
  ]
}
