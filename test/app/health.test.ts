// GET /_emulator/health: 200 with the database state, 503 once the database is gone.
import t from 'tap'
import { DEMO_PARTNERS } from '../../src/seed/demo-data.js'
import { BACKEND, build } from '../helper.js'

t.test('200 with the backend and the demo data', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/_emulator/health' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { status: 'ok', version: String, database: { backend: BACKEND, status: 'up', partnerTenants: DEMO_PARTNERS.length } })

  // Take the database away under the running app.
  await app.db.destroy()
  const down = await app.inject({ url: '/_emulator/health' })
  t.equal(down.statusCode, 503)
  t.match(down.json(), { status: 'unavailable', database: { backend: BACKEND, status: 'down' } })
})
