// TypeBox schemas of reseller relationship requests and partner relationships (property names from
// Microsoft's CustomerService Swagger: RelationshipRequest, PartnerRelationship).
import { Type, type Static } from 'typebox'
import { AttributesSchema, Guid, LinksSchema } from '../../schemas/common.js'

export const RelationshipRequestQuery = Type.Object({
  indirectResellerId: Type.Optional(Guid('An indirect provider asking on behalf of one of its indirect resellers')),
  indirectCloudSolutionProviderId: Type.Optional(Guid('An indirect reseller naming the indirect provider of the relationship')),
  dualRoleIndirectRelationship: Type.Optional(Type.Boolean({ description: 'For partners in both roles; accepted and ignored' }))
})

export const RelationshipRequestSchema = Type.Object({
  url: Type.String({ description: 'The invitation link the customer opens to accept the partner as its reseller' }),
  attributes: AttributesSchema('RelationshipRequest')
}, { description: 'A reseller relationship request link' })

export const RelationshipsQuery = Type.Object({
  relationship_type: Type.String({ maxLength: 64, description: 'IsIndirectCloudSolutionProviderOf (an indirect provider\'s resellers) or IsIndirectResellerOf (a reseller\'s providers)' })
})

export const PartnerRelationshipSchema = Type.Object({
  id: Type.String({ description: 'The related partner\'s tenant id' }),
  name: Type.String(),
  relationshipType: Type.Union([Type.Literal('is_indirect_cloud_solution_provider_of'), Type.Literal('is_indirect_reseller_of')]),
  state: Type.String(),
  mpnId: Type.Optional(Type.String()),
  location: Type.Optional(Type.String({ description: 'ISO 3166-1 alpha-2 country code' })),
  attributes: AttributesSchema('PartnerRelationship')
})

export const PartnerRelationshipCollectionSchema = Type.Object({
  totalCount: Type.Integer(),
  items: Type.Array(PartnerRelationshipSchema),
  links: LinksSchema,
  attributes: AttributesSchema('Collection')
}, { description: 'The partner\'s relationships of one type' })

export type RelationshipRequestOptions = Static<typeof RelationshipRequestQuery>
export type PartnerRelationship = Static<typeof PartnerRelationshipSchema>
