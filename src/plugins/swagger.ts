// OpenAPI 3.1 generated from the route schemas, served at /openapi.json and /docs (Swagger UI).
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ErrorSchema } from '../schemas/common.js'
import { GraphErrorSchema } from '../schemas/graph.js'

export const OPENAPI_INFO = {
  title: 'Partner Center emulator',
  version: '0.1.0',
  description: 'The Microsoft Partner Center REST API (/v1) and the Graph GDAP API (/v1.0), with the partner security model ' +
    '(MFA for app+user tokens, app-only limits, partner roles, GDAP) enforced on every call.'
}

async function swaggerPlugin (app: FastifyInstance) {
  app.addSchema(ErrorSchema)
  app.addSchema(GraphErrorSchema)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      tags: [
        { name: 'customers', description: 'Customer management' },
        { name: 'relationships', description: 'Reseller relationship requests and indirect resellers' },
        { name: 'validations', description: 'Address validation and address rules by market' },
        { name: 'profiles', description: 'The partner\'s own organization and legal business profiles' },
        { name: 'customer users', description: 'Customer users, directory roles and licenses (GDAP-gated)' },
        { name: 'catalog', description: 'Products, SKUs, availabilities, legacy offers, promotions, inventory' },
        { name: 'application consents', description: 'Control panel vendor apps consented in customer tenants (Secure Application Model)' },
        { name: 'agreements', description: 'Microsoft Customer Agreement metadata and confirmations' },
        { name: 'carts', description: 'Carts and checkout' },
        { name: 'orders', description: 'Orders' },
        { name: 'subscriptions', description: 'Subscriptions' },
        { name: 'billing', description: 'Invoices, statements, line items and reconciliation' },
        { name: 'usage', description: 'Azure usage records and summaries of the current billing period' },
        { name: 'mfa reports', description: 'MFA compliance reports, read from the request journal' },
        { name: 'audit', description: 'Audit records: every write of the partner\'s users and applications' },
        { name: 'webhooks', description: 'Webhook registration, test events, and the certificate that verifies deliveries' },
        { name: 'gdap', description: 'Graph GDAP: delegated admin relationships, access assignments, customers' },
        { name: 'identity', description: 'Development identity provider (Entra-shaped)' },
        { name: 'emulator', description: 'Control plane: health, token minting, personas, journal (dev mode)' }
      ],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }
      },
      security: [{ bearer: [] }]
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

export default fp(swaggerPlugin, { name: 'swagger' })
