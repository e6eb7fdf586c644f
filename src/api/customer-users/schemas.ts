// Customer users, directory roles and licenses (property names as Partner Center's).
import { Type, type Static } from 'typebox'
import { AttributesSchema, CustomerId, Guid, LinksSchema, SeekCollectionSchema } from '../../schemas/common.js'

export { ContinuationHeaders, CustomerParams } from '../../schemas/common.js'
export const UserParams = Type.Object({ customerId: CustomerId, userId: Guid('The customer user id') })
export const RoleParams = Type.Object({ customerId: CustomerId, roleId: Guid('Directory role id') })
export const RoleMemberParams = Type.Object({ customerId: CustomerId, roleId: Guid('Directory role id'), userId: Guid('The member') })

const PasswordProfile = Type.Object({
  password: Type.String({ minLength: 8, maxLength: 256 }),
  forceChangePassword: Type.Optional(Type.Boolean())
})

export const CustomerUserSchema = Type.Object({
  id: Type.String(),
  usageLocation: Type.Optional(Type.String()),
  userPrincipalName: Type.String(),
  firstName: Type.Optional(Type.String()),
  lastName: Type.Optional(Type.String()),
  displayName: Type.String(),
  immutableId: Type.Optional(Type.String()),
  passwordProfile: Type.Optional(Type.Object({ password: Type.String(), forceChangePassword: Type.Boolean() }, { description: 'Only on create and password reset' })),
  phoneNumber: Type.Optional(Type.String()),
  lastDirectorySyncTime: Type.Null(),
  userDomainType: Type.Literal('managed'),
  state: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
  softDeletionTime: Type.Optional(Type.String({ format: 'date-time' })),
  links: LinksSchema,
  attributes: AttributesSchema('CustomerUser')
}, { description: 'A user of the customer tenant' })

export const CreateCustomerUserSchema = Type.Object({
  userPrincipalName: Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 113, description: 'name@one of the customer\'s domains' }),
  displayName: Type.String({ minLength: 1, maxLength: 256 }),
  firstName: Type.Optional(Type.String({ maxLength: 64 })),
  lastName: Type.Optional(Type.String({ maxLength: 64 })),
  usageLocation: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  immutableId: Type.Optional(Type.String({ maxLength: 256 })),
  phoneNumber: Type.Optional(Type.String({ maxLength: 40 })),
  passwordProfile: PasswordProfile,
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
})
export type CreateCustomerUser = Static<typeof CreateCustomerUserSchema>

export const UpdateCustomerUserSchema = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  firstName: Type.Optional(Type.String({ maxLength: 64 })),
  lastName: Type.Optional(Type.String({ maxLength: 64 })),
  usageLocation: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
  phoneNumber: Type.Optional(Type.String({ maxLength: 40 })),
  passwordProfile: Type.Optional(PasswordProfile),
  state: Type.Optional(Type.Literal('active', { description: 'Restores a deleted (inactive) user' })),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
}, { description: 'Partial update; passwordProfile resets the password; state "active" restores a deleted user' })
export type UpdateCustomerUser = Static<typeof UpdateCustomerUserSchema>

export const ListUsersQuery = Type.Object({
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  seekOperation: Type.Optional(Type.String()),
  filter: Type.Optional(Type.String({ description: '{"Field":"UserState","Value":"Inactive","Operator":"equals"} for deleted users, or {"Field":"UserPrincipalName"|"DisplayName","Value":"...","Operator":"starts_with"}' }))
})

export type ListUsers = Static<typeof ListUsersQuery>

export const CustomerUserCollectionSchema = SeekCollectionSchema(CustomerUserSchema, 'A page of customer users')

export const DirectoryRoleSchema = Type.Object({
  name: Type.String(),
  id: Type.String(),
  attributes: AttributesSchema('DirectoryRole')
})

export const UserMemberSchema = Type.Object({
  displayName: Type.String(),
  userPrincipalName: Type.String(),
  roleId: Type.String(),
  id: Type.String(),
  attributes: AttributesSchema('UserMember')
})

export const AddUserMemberSchema = Type.Object({
  id: Guid('The customer user to add'),
  displayName: Type.Optional(Type.String()),
  userPrincipalName: Type.Optional(Type.String()),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
})

const ServicePlanSchema = Type.Object({
  displayName: Type.String(),
  serviceName: Type.String(),
  id: Type.String(),
  capabilityStatus: Type.String(),
  targetType: Type.String()
})

const ProductSkuSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  skuPartNumber: Type.String(),
  targetType: Type.String(),
  licenseGroupId: Type.String()
})

export const SubscribedSkuSchema = Type.Object({
  availableUnits: Type.Integer({ description: 'totalUnits - consumedUnits' }),
  activeUnits: Type.Integer(),
  consumedUnits: Type.Integer(),
  suspendedUnits: Type.Integer(),
  totalUnits: Type.Integer({ description: 'activeUnits + warningUnits' }),
  warningUnits: Type.Integer(),
  productSku: ProductSkuSchema,
  servicePlans: Type.Array(ServicePlanSchema),
  capabilityStatus: Type.String(),
  attributes: AttributesSchema('SubscribedSku')
})

export const LicenseSchema = Type.Object({
  servicePlans: Type.Array(ServicePlanSchema),
  productSku: ProductSkuSchema,
  attributes: AttributesSchema('License')
})

export const LicenseGroupQuery = Type.Object({
  licenseGroupIds: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'group1 (Entra-managed, default) and/or group2 (Minecraft)' }))
})

export const LicenseUpdateSchema = Type.Object({
  licensesToAssign: Type.Optional(Type.Union([Type.Array(Type.Object({
    skuId: Guid('The product SKU'),
    excludedPlans: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()]))
  }), { maxItems: 50 }), Type.Null()])),
  licensesToRemove: Type.Optional(Type.Union([Type.Array(Guid('The product SKU'), { maxItems: 50 }), Type.Null()])),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
})
export type LicenseUpdate = Static<typeof LicenseUpdateSchema>

export const LicenseUpdateResultSchema = Type.Object({
  licensesToAssign: Type.Array(Type.Object({ skuId: Type.String(), excludedPlans: Type.Optional(Type.Array(Type.String())) })),
  licensesToRemove: Type.Array(Type.String()),
  licenseWarnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), servicePlans: Type.Array(Type.String()) })),
  attributes: AttributesSchema('LicenseUpdate')
})
