// Reseller relationships: the link a customer follows to accept the partner as its reseller, and the
// partner's indirect resellers (or providers). Both pages are App+User only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { protectedErrors } from '../../schemas/common.js'
import { PartnerRelationshipCollectionSchema, RelationshipRequestQuery, RelationshipRequestSchema, RelationshipsQuery } from './schemas.js'
import { createRelationshipsService } from './service.js'

// Admin and Sales agents request reseller relationships and register resellers (Partner Center roles).
const POLICY: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'sales_agent'] }
const tags = ['relationships']

const relationships: FastifyPluginAsyncTypebox = async (app) => {
  const service = createRelationshipsService(app.db)

  // Static, so it wins over GET /v1/customers/:customerId.
  app.get('/v1/customers/relationshiprequests', {
    config: { auth: POLICY },
    schema: {
      operationId: 'getRelationshipRequestLink', tags, summary: 'Request a reseller relationship (the invitation link)',
      description: 'The link carries the partner\'s tenant id; the customer\'s global admin opens it to accept the partner as reseller.',
      querystring: RelationshipRequestQuery,
      response: { 200: RelationshipRequestSchema, ...protectedErrors }
    }
  }, async (request) => service.relationshipRequest(partnerOf(request), request.query))

  app.get('/v1/relationships', {
    config: { auth: POLICY },
    schema: {
      operationId: 'listPartnerRelationships', tags, summary: 'Retrieve a list of indirect resellers',
      description: 'relationship_type=IsIndirectCloudSolutionProviderOf lists an indirect provider\'s resellers (empty for a direct partner); ' +
        'IsIndirectResellerOf a reseller\'s providers.',
      querystring: RelationshipsQuery,
      response: { 200: PartnerRelationshipCollectionSchema, ...protectedErrors }
    }
  }, async (request) => service.list(partnerOf(request), request.query.relationship_type, selfOf(request)))
}

export default relationships
