// The MFA reporting APIs: partner requests, non-MFA-compliant principals, application MFA adoption.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import { AdoptionQuery, AdoptionSchema, NonCompliantPrincipalSchema, PartnerRequestSchema } from './schemas.js'
import { createMfaReportsService } from './service.js'

// The MFA reporting APIs are App+User only, for Admin agents, Global admins and Security admins.
const REPORTS: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'global_admin', 'security_admin'] }
const tags = ['mfa reports']
const errors = { ...protectedErrors, 404: ErrorRef }

const mfaReports: FastifyPluginAsyncTypebox = async (app) => {
  const service = createMfaReportsService(app.db, app.journal)

  app.get('/v1/partnerRequests', {
    config: { auth: REPORTS },
    schema: {
      operationId: 'listPartnerRequests', tags, summary: 'App+user requests of the partner\'s users in the last 7 days (newest 10,000)',
      response: { 200: SeekCollectionSchema(PartnerRequestSchema, 'Partner requests'), ...errors }
    }
  }, async (request) => collectionOf(await service.partnerRequests(partnerOf(request)), selfOf(request)))

  app.get('/v1/nonMfaCompliantPartnerPrincipals', {
    config: { auth: REPORTS },
    schema: {
      operationId: 'listNonMfaCompliantPartnerPrincipals', tags, summary: 'The partner\'s users who called without MFA in the last 7 days',
      response: { 200: SeekCollectionSchema(NonCompliantPrincipalSchema, 'Non-MFA-compliant principals'), ...errors }
    }
  }, async (request) => collectionOf(await service.nonCompliantPrincipals(partnerOf(request)), selfOf(request)))

  app.get('/v1/applicationmfaadoptionstatus', {
    config: { auth: REPORTS },
    schema: {
      operationId: 'listApplicationMfaAdoptionStatus', tags,
      summary: 'MFA-compliant and total app+user requests per application and day (a bare array)',
      querystring: AdoptionQuery,
      response: { 200: Type.Array(AdoptionSchema), ...errors }
    }
  }, async (request) => service.adoption(partnerOf(request), request.query))
}

export default mfaReports
