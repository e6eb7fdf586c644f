// GET /_emulator/health: 200 with the database state and the version, 503 while the database is down.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { OPENAPI_INFO } from '../plugins/swagger.js'

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  version: Type.String(),
  database: Type.Object({
    backend: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
    status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    partnerTenants: Type.Optional(Type.Integer({ description: 'How many partner tenants the database holds' }))
  })
})

export default async function health (app: FastifyInstance) {
  app.get('/_emulator/health', {
    schema: {
      operationId: 'getHealth', tags: ['emulator'], summary: 'Service and database health', security: [],
      response: { 200: HealthSchema, 503: HealthSchema }
    }
  }, async (request, reply) => {
    const backend = app.database.backend
    try {
      const { count } = await app.db.selectFrom('partner_tenants').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()
      return { status: 'ok' as const, version: OPENAPI_INFO.version, database: { backend, status: 'up' as const, partnerTenants: Number(count) } }
    } catch (err) {
      request.log.warn({ err }, 'health check: database unavailable')
      return reply.code(503).send({ status: 'unavailable', version: OPENAPI_INFO.version, database: { backend, status: 'down' } })
    }
  })
}
