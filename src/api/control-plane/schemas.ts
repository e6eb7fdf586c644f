// Shapes of the control plane (dev mode): health, the clock, security groups, the journal, billing close.
import { Type, type Static } from 'typebox'

export const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  version: Type.String(),
  database: Type.Object({
    backend: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
    status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    partnerTenants: Type.Optional(Type.Integer({ description: 'How many partner tenants the database holds' }))
  })
})

export const TenantParams = Type.Object({ tenantId: Type.String() })
export const EntraTrustSchema = Type.Object({ trusted: Type.Boolean() })

export const JournalQuery = Type.Object({
  tenantId: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 }))
})

export const ClockSchema = Type.Object({ now: Type.String(), offsetSeconds: Type.Number() })
export const SetClockSchema = Type.Object({
  now: Type.Optional(Type.String({ format: 'date-time' })),
  advanceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_155_760_000, description: 'At most a hundred years at a time' }))
})
export type SetClock = Static<typeof SetClockSchema>

export const GroupSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  members: Type.Array(Type.String({ description: 'Partner user object ids' }))
})
export const CreateGroupSchema = Type.Object({
  displayName: Type.String({ minLength: 1, maxLength: 120 }),
  members: Type.Optional(Type.Array(Type.String({ description: 'Object id or UPN' })))
})
export type CreateGroup = Static<typeof CreateGroupSchema>
export const MemberParams = Type.Object({ tenantId: Type.String(), groupId: Type.String(), userId: Type.String() })

export const AnswerParams = Type.Object({ customerId: Type.String(), relationshipId: Type.String() })

export const CloseBillingSchema = Type.Object({ tenantId: Type.String({ description: 'Partner tenant id or domain' }) })
export const ClosedPeriodSchema = Type.Object({
  periodStart: Type.String({ description: 'The first day (00:00 UTC) of the calendar month the emulator clock is in' }),
  periodEnd: Type.String({ description: 'The last day (00:00 UTC) of that month' }),
  invoices: Type.Array(Type.Object({ id: Type.String(), currencyCode: Type.String(), totalCharges: Type.String(), lineCount: Type.Integer() }))
})

export const ThrottleLimitSchema = Type.Object({
  operation: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The route\'s operationId, e.g. listOrders' })),
  pathPattern: Type.Optional(Type.String({
    pattern: '^/', maxLength: 500, description: 'Or the route\'s path, {param} or :param for its parameters, e.g. /v1/customers/{customerId}/orders'
  })),
  requests: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Requests allowed per window' }),
  windowSeconds: Type.Integer({ minimum: 1, maximum: 86400 }),
  scope: Type.Optional(Type.Union([Type.Literal('partner'), Type.Literal('partnerCustomer')], {
    description: 'What the counter is keyed by besides the operation; default partnerCustomer on a route with {customerId}, else partner'
  }))
}, { additionalProperties: false })

export const SetThrottlingSchema = Type.Object({ limits: Type.Array(ThrottleLimitSchema, { maxItems: 200 }) })
export type SetThrottling = Static<typeof SetThrottlingSchema>

export const ThrottlingSchema = Type.Object({
  limits: Type.Array(ThrottleLimitSchema, { description: 'Every limit in force: the documented ones, then those set here (which win for the same route)' }),
  overrides: Type.Array(ThrottleLimitSchema, { description: 'The limits set through PUT /_emulator/throttling' })
})
