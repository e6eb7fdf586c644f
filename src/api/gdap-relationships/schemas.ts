// Request bodies and parameters of GDAP relationships and their requests and operations. The
// resources themselves are shaped in gdap/schemas.ts.
import { Type, type Static } from 'typebox'
import { AutoExtend, UnifiedRoles } from '../../gdap/schemas.js'

export { OperationSchema, RelationshipSchema, RequestSchema } from '../../gdap/schemas.js'
export { IfMatchHeaders } from '../../schemas/common.js'
export { GraphCollection, ListQuery } from '../../schemas/graph.js'

export const RelationshipParams = Type.Object({ relationshipId: Type.String() })
export const RequestParams = Type.Object({ relationshipId: Type.String(), requestId: Type.String() })
export const OperationParams = Type.Object({ relationshipId: Type.String(), operationId: Type.String() })

export const CreateRelationshipSchema = Type.Object({
  displayName: Type.String({ minLength: 1, maxLength: 50, description: 'Unique among the partner\'s relationships' }),
  duration: Type.String({ description: 'P1D to P730D (also PnW, PnY up to 2 years)' }),
  customer: Type.Optional(Type.Object({
    tenantId: Type.String({ description: 'Omit the customer to let any customer accept the invitation' }),
    displayName: Type.Optional(Type.String())
  })),
  accessDetails: UnifiedRoles,
  autoExtendDuration: Type.Optional(AutoExtend)
})
export type CreateRelationship = Static<typeof CreateRelationshipSchema>

export const UpdateRelationshipSchema = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  duration: Type.Optional(Type.String()),
  customer: Type.Optional(Type.Object({ tenantId: Type.String(), displayName: Type.Optional(Type.String()) })),
  accessDetails: Type.Optional(UnifiedRoles),
  autoExtendDuration: Type.Optional(AutoExtend)
}, { minProperties: 1 })
export type UpdateRelationship = Static<typeof UpdateRelationshipSchema>

export const CreateRequestSchema = Type.Object({
  action: Type.Union([Type.Literal('lockForApproval'), Type.Literal('terminate')], { description: 'The partner\'s actions; the customer approves or rejects (see the control plane)' })
})
