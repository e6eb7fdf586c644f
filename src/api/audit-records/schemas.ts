// TypeBox schemas of the audit records (property names from Microsoft's AuditService Swagger).
import { Type, type Static } from 'typebox'
import { AttributesSchema, Guid, SeekCollectionSchema } from '../../schemas/common.js'

export { ContinuationHeaders } from '../../schemas/common.js'

export const AuditRecordSchema = Type.Object({
  id: Type.String(),
  partnerId: Type.String({ description: 'The partner tenant id' }),
  customerId: Type.Optional(Type.String()),
  customerName: Type.Optional(Type.String()),
  userPrincipalName: Type.Optional(Type.String({ description: 'The user of an app+user token; absent for app-only calls' })),
  applicationId: Type.String(),
  resourceType: Type.String({ description: 'customer, customer_user, order, subscription, license, ...' }),
  resourceOldValue: Type.Optional(Type.String({ description: 'The resource before the change, as JSON' })),
  resourceNewValue: Type.Optional(Type.String({ description: 'The resource after the change, as JSON' })),
  operationType: Type.String({ description: 'add_customer, create_order, update_customer_user_licenses, ...' }),
  operationStatus: Type.String({ description: 'succeeded' }),
  operationDate: Type.String({ format: 'date-time' }),
  originalCorrelationId: Type.Optional(Type.String({ description: 'The MS-CorrelationId of the write' })),
  customizedData: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
  attributes: AttributesSchema('AuditRecord')
}, { description: 'A record of one write by a partner user or application' })

export const ListAuditRecordsQuery = Type.Object({
  startDate: Type.String({ minLength: 1, maxLength: 64, description: 'Start of the range (ISO 8601 date or date-time, UTC); at most 90 days ago' }),
  endDate: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'End of the range (default: now); at most 30 days after startDate' })),
  size: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, description: 'Page size (0 or absent: 500)' })),
  filter: Type.Optional(Type.String({
    maxLength: 1024,
    description: 'JSON {"Field":"CustomerId"|"CustomerName"|"ResourceType","Value":"...","Operator":"equals"|"substring"}'
  })),
  seekOperation: Type.Optional(Type.String({ description: 'Next, with the MS-ContinuationToken header, for the following page' }))
})

export const AuditRecordParams = Type.Object({ id: Guid('The audit record id') })

export const AuditRecordCollectionSchema = SeekCollectionSchema(AuditRecordSchema, 'A page of audit records')

export type AuditRecord = Static<typeof AuditRecordSchema>
export type ListAuditRecords = Static<typeof ListAuditRecordsQuery>
