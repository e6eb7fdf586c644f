// Graph shapes of GDAP resources, as Microsoft Graph v1.0 names them: relationships, their requests,
// access assignments and operations, delegated admin customers. Request bodies and path parameters
// are in each API area's schemas.ts.
import { Type } from 'typebox'

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

export const AutoExtend = Type.Union([Type.Literal('PT0S'), Type.Literal('P0D'), Type.Literal('P180D')])

export const RequestSchema = Type.Object({
  '@odata.type': Type.String(),
  id: Type.String(),
  action: Type.Union([Type.Literal('lockForApproval'), Type.Literal('approve'), Type.Literal('reject'), Type.Literal('terminate')]),
  status: Type.Union([Type.Literal('created'), Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  createdDateTime: DateTime,
  lastModifiedDateTime: DateTime
}, { description: 'microsoft.graph.delegatedAdminRelationshipRequest' })

export const AccessContainer = Type.Object({
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
