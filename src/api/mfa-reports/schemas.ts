// MFA report shapes, from Microsoft's CustomerService Swagger (SecurityComplianceStatus).
import { Type, type Static } from 'typebox'
import { AttributesSchema } from '../../schemas/common.js'

export const PartnerRequestSchema = Type.Object({
  requestId: Type.String(),
  correlationId: Type.String(),
  operationName: Type.String(),
  requestDateTime: Type.String({ format: 'date-time' }),
  sourceIpAddress: Type.String(),
  objectId: Type.String(),
  tenantId: Type.String(),
  upn: Type.String(),
  applicationId: Type.String(),
  mfaCompliant: Type.Boolean(),
  attributes: AttributesSchema('PartnerRequest')
})

export const NonCompliantPrincipalSchema = Type.Object({
  objectId: Type.String(),
  tenantId: Type.String(),
  upn: Type.String(),
  lastNonMfaCompliantRequestDateTime: Type.String({ format: 'date-time', description: 'The Swagger\'s name' }),
  lastNonMfaCompliantLoginDateTime: Type.String({ format: 'date-time', description: 'The same instant under the name of the current documentation' }),
  attributes: AttributesSchema('NonMfaCompliantPartnerPrincipal')
})

export const AdoptionSchema = Type.Object({
  loginDate: Type.String({ description: 'The day (UTC), yyyy-MM-dd' }),
  mfaCompliantRequestCount: Type.Integer(),
  totalRequestCount: Type.Integer(),
  applicationId: Type.String(),
  applicationName: Type.String()
})

export const AdoptionQuery = Type.Object({
  startDate: Type.Optional(Type.String({ description: 'Default: 7 days ago' })),
  endDate: Type.Optional(Type.String({ description: 'Default: now (exclusive)' }))
})
export type Adoption = Static<typeof AdoptionQuery>
