// Control plane for billing (dev mode): close a partner's billing period on the emulator clock.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireTenant } from '../../identity/accounts.js'
import { fromMinor } from '../../lib/money.js'
import { ErrorRef } from '../../schemas/common.js'
import { createBillingService } from '../billing/service.js'

export default async function billingControlPlane (app: FastifyInstance) {
  const service = createBillingService(app.db)

  app.post('/_emulator/billing/close', {
    schema: {
      operationId: 'closeBillingPeriod', tags: ['emulator'], security: [],
      summary: 'Close a partner\'s billing period now (emulator clock): uninvoiced charges become invoices, one per currency',
      body: Type.Object({ tenantId: Type.String({ description: 'Partner tenant id or domain' }) }),
      response: {
        200: Type.Object({ periodStart: Type.String(), periodEnd: Type.String(), invoices: Type.Array(Type.Object({ id: Type.String(), currencyCode: Type.String(), totalCharges: Type.String(), lineCount: Type.Integer() })) }),
        404: ErrorRef
      }
    }
  }, async (request) => {
    const tenant = await requireTenant(app.db, (request.body as { tenantId: string }).tenantId)
    const closed = await service.closePeriod(tenant.id, await app.clock.now())
    return {
      periodStart: closed.periodStart.toISOString(),
      periodEnd: closed.periodEnd.toISOString(),
      invoices: closed.invoices.map((i) => ({ id: i.id, currencyCode: i.currency_code, totalCharges: fromMinor(BigInt(i.total_minor)), lineCount: i.line_count }))
    }
  })
}
