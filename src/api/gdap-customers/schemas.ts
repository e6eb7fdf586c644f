// Parameters of delegated admin customers. The resources are shaped in gdap/schemas.ts.
import { Type } from 'typebox'

export { DelegatedAdminCustomerSchema, ServiceManagementDetailSchema } from '../../gdap/schemas.js'
export { GraphCollection, ListQuery } from '../../schemas/graph.js'

/** A customer tenant id, as Graph takes it (any string; an unknown one is a 404). */
export const CustomerParams = Type.Object({ customerId: Type.String() })
