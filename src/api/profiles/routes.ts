// The partner's own profiles: organization (App+User only, read and write) and legal business (read
// with app-only tokens too, written App+User only), per the pages' prerequisites.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { ErrorRef, protectedErrors } from '../../schemas/common.js'
import {
  LegalBusinessProfileSchema, LegalBusinessQuery, OrganizationProfileSchema, ProfileIfMatchHeaders, UpdateLegalBusinessProfileSchema,
  UpdateOrganizationProfileSchema
} from './schemas.js'
import { createProfilesService } from './service.js'

// Every partner role reads the partner's profiles; the organization profile is written by Global admins
// and Admin agents, the legal business profile (the company's legal identity) by Global admins only.
const READ_ROLES = ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'billing_admin', 'security_admin'] as const
const READ_USER: AuthPolicy = { appOnly: false, partnerRoles: READ_ROLES }
const READ_ANY: AuthPolicy = { appOnly: true, partnerRoles: READ_ROLES }
const WRITE_ORGANIZATION: AuthPolicy = { appOnly: false, partnerRoles: ['global_admin', 'admin_agent'] }
const WRITE_LEGAL: AuthPolicy = { appOnly: false, partnerRoles: ['global_admin'] }
const tags = ['profiles']
const errors = { ...protectedErrors, 404: ErrorRef }

const profiles: FastifyPluginAsyncTypebox = async (app) => {
  const service = createProfilesService(app.db)

  app.get('/v1/profiles/organization', {
    config: { auth: READ_USER },
    schema: {
      operationId: 'getOrganizationProfile', tags, summary: 'Get the partner\'s organization profile',
      response: { 200: OrganizationProfileSchema, ...errors }
    }
  }, async (request) => service.organization(partnerOf(request)))

  app.put('/v1/profiles/organization', {
    config: { auth: WRITE_ORGANIZATION },
    schema: {
      operationId: 'updateOrganizationProfile', tags, summary: 'Update the partner\'s organization profile',
      description: 'Replaces companyName, defaultAddress, email, language and culture. An ETag in If-Match or attributes.etag must be ' +
        'the current one (400 with code 2055 otherwise); without one the last write wins.',
      headers: ProfileIfMatchHeaders, body: UpdateOrganizationProfileSchema,
      response: { 200: OrganizationProfileSchema, ...errors }
    }
  }, async (request) => service.updateOrganization(partnerOf(request), request.headers['if-match'], request.body))

  app.get('/v1/profiles/legalbusiness', {
    config: { auth: READ_ANY },
    schema: {
      operationId: 'getLegalBusinessProfile', tags, summary: 'Get the partner\'s legal business profile',
      querystring: LegalBusinessQuery,
      response: { 200: LegalBusinessProfileSchema, ...errors }
    }
  }, async (request) => service.legalBusiness(partnerOf(request)))

  app.put('/v1/profiles/legalbusiness', {
    config: { auth: WRITE_LEGAL },
    schema: {
      operationId: 'updateLegalBusinessProfile', tags, summary: 'Update the partner\'s legal business profile',
      description: 'Replaces the company name, addresses, primary contact and approver; the vetting status is kept. If-Match, when sent, must name the current ETag.',
      headers: ProfileIfMatchHeaders, body: UpdateLegalBusinessProfileSchema,
      response: { 200: LegalBusinessProfileSchema, ...errors }
    }
  }, async (request) => service.updateLegalBusiness(partnerOf(request), request.headers['if-match'], request.body))
}

export default profiles
