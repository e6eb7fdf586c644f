// Request bodies and parameters of GDAP access assignments. The resource is shaped in gdap/schemas.ts.
import { Type, type Static } from 'typebox'
import { AccessContainer, UnifiedRoles } from '../../gdap/schemas.js'

export { AssignmentSchema } from '../../gdap/schemas.js'
export { IfMatchHeaders } from '../../schemas/common.js'
export { GraphCollection, ListQuery } from '../../schemas/graph.js'

export const RelationshipParams = Type.Object({ relationshipId: Type.String() })
export const AssignmentParams = Type.Object({ relationshipId: Type.String(), assignmentId: Type.String() })

export const CreateAssignmentSchema = Type.Object({
  accessContainer: AccessContainer,
  accessDetails: UnifiedRoles
})
export type CreateAssignment = Static<typeof CreateAssignmentSchema>

export const UpdateAssignmentSchema = Type.Object({ accessDetails: UnifiedRoles })
