// Graph shapes of GDAP (reference §8): relationships, requests, access assignments, operations,
// delegated admin customers. Property names follow Microsoft Graph v1.0 exactly.
import { Type, type Static, type TSchema } from 'typebox'

const DateTime = Type.String({ format: 'date-time' })
const NullableDateTime = Type.Union([DateTime, Type.Null()])

export const UnifiedRoles = Type.Object({
  unifiedRoles: Type.Array(Type.Object({ roleDefinitionId: Type.String({ description: 'Entra role template id' }) }), { minItems: 1, maxItems: 72 })
})

export const RelationshipStatusSchema = Type.Union([
  Type.Literal('created'), Type.Literal('approvalPending'), Type.Literal('approved'), Type.Literal('activating'),
  Type.Literal('active'), Type.Literal('expiring'), Type.Literal('expired'), Type.Literal('terminationRequested'),
  Type.Literal('terminating'), Type.Literal('terminated')
])

const CustomerRef = Type.Object({
  tenantId: Type.String(),
  displayName: Type.Optional(Type.String())
})

export const RelationshipSchema = Type.Object({
  '@odata.type': Type.String(),
  '@odata.etag': Type.String(),
  id: Type.String({ description: 'Two GUIDs joined with a hyphen' }),
  displayName: Type.String(),
  duration: Type.String({ description: 'ISO 8601 duration, P1D to P730D' }),
  customer: Type.Union([CustomerRef, Type.Null()]),
  accessDetails: UnifiedRoles,
  status: RelationshipStatusSchema,
  autoExtendDuration: Type.String(),
  createdDateTime: DateTime,
  lastModifiedDateTime: DateTime,
  activatedDateTime: NullableDateTime,
  endDateTime: NullableDateTime
}, { description: 'microsoft.graph.delegatedAdminRelationship' })

const AutoExtend = Type.Union([Type.Literal('PT0S'), Type.Literal('P0D'), Type.Literal('P180D')])

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

export const RequestSchema = Type.Object({
  '@odata.type': Type.String(),
  id: Type.String(),
  action: Type.Union([Type.Literal('lockForApproval'), Type.Literal('approve'), Type.Literal('reject'), Type.Literal('terminate')]),
  status: Type.Union([Type.Literal('created'), Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  createdDateTime: DateTime,
  lastModifiedDateTime: DateTime
}, { description: 'microsoft.graph.delegatedAdminRelationshipRequest' })

export const CreateRequestSchema = Type.Object({
  action: Type.Union([Type.Literal('lockForApproval'), Type.Literal('terminate')], { description: 'The partner\'s actions; the customer approves or rejects (see the control plane)' })
})

const AccessContainer = Type.Object({
  accessContainerId: Type.String({ description: 'A security group of the partner tenant' }),
  accessContainerType: Type.Literal('securityGroup')
})

export const AssignmentSchema = Type.Object({
  '@odata.type': Type.String(),
  '@odata.etag': Type.String(),
  id: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('deleting'), Type.Literal('deleted'), Type.Literal('error')]),
  createdDateTime: DateTime,
  lastModifiedDateTime: DateTime,
  accessContainer: AccessContainer,
  accessDetails: UnifiedRoles
}, { description: 'microsoft.graph.delegatedAdminAccessAssignment' })

export const CreateAssignmentSchema = Type.Object({
  accessContainer: AccessContainer,
  accessDetails: UnifiedRoles
})
export type CreateAssignment = Static<typeof CreateAssignmentSchema>

export const UpdateAssignmentSchema = Type.Object({ accessDetails: UnifiedRoles })

export const OperationSchema = Type.Object({
  '@odata.type': Type.String(),
  id: Type.String(),
  operationType: Type.Literal('delegatedAdminAccessAssignmentUpdate'),
  data: Type.String({ description: 'The access assignment as a JSON string' }),
  status: Type.Union([Type.Literal('notStarted'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  createdDateTime: DateTime,
  lastModifiedDateTime: DateTime
}, { description: 'microsoft.graph.delegatedAdminRelationshipOperation' })

export const DelegatedAdminCustomerSchema = Type.Object({
  '@odata.type': Type.String(),
  id: Type.String(),
  tenantId: Type.String(),
  displayName: Type.String()
})

export const ServiceManagementDetailSchema = Type.Object({
  '@odata.type': Type.String(),
  id: Type.String(),
  serviceName: Type.String(),
  serviceManagementUrl: Type.String()
})

/** A Graph collection: `value`, with `@odata.nextLink` while more pages remain and `@odata.count` on request. */
export const GraphCollection = <T extends TSchema>(item: T) => Type.Object({
  '@odata.context': Type.String(),
  '@odata.count': Type.Optional(Type.Integer()),
  '@odata.nextLink': Type.Optional(Type.String()),
  value: Type.Array(item)
})

export const ListQuery = Type.Object({
  $filter: Type.Optional(Type.String({ description: "e.g. status eq 'active' and customer/tenantId eq '{id}'" })),
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
  $orderby: Type.Optional(Type.String({ description: 'A property and asc or desc, e.g. status desc' })),
  $count: Type.Optional(Type.Boolean()),
  $skiptoken: Type.Optional(Type.String())
})
export type ListQueryValue = Static<typeof ListQuery>

export const RelationshipParams = Type.Object({ relationshipId: Type.String() })
export const AssignmentParams = Type.Object({ relationshipId: Type.String(), assignmentId: Type.String() })
export const RequestParams = Type.Object({ relationshipId: Type.String(), requestId: Type.String() })
export const OperationParams = Type.Object({ relationshipId: Type.String(), operationId: Type.String() })
export const CustomerParams = Type.Object({ customerId: Type.String() })
