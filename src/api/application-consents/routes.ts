// Application consents (the Secure Application Model's customer onboarding): a control panel vendor
// consents its application in a customer's tenant, then gets tokens for that tenant from the identity
// provider. https://learn.microsoft.com/en-us/partner-center/developer/control-panel-vendor-apis
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import { ConsentParams, ConsentSchema, CreateConsentSchema, CustomerParams } from './schemas.js'
import { createConsentsService } from './service.js'

// App+User only: a partner's user (with MFA) consents on the customer's behalf, as the CPV flow does
// with the Secure Application Model's token. Consenting is an admin's act: Admin agents write; the
// other agents may read what is consented.
const READ: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const WRITE: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent'] }
const errors = { ...protectedErrors, 404: ErrorRef, 409: ErrorRef }
const tags = ['application consents']

const applicationConsents: FastifyPluginAsyncTypebox = async (app) => {
  const service = createConsentsService(app.db)

  app.post('/v1/customers/:customerId/applicationconsents', {
    config: { auth: WRITE },
    schema: {
      operationId: 'createApplicationConsent', tags, summary: 'Consent the partner\'s application in the customer\'s tenant',
      description: 'Each grant names a resource application and its permissions (comma-separated). The application must be registered ' +
        'in the partner tenant; a second consent of one application is a 409 (delete it first). The identity provider then issues ' +
        'tokens for the customer\'s tenant to the application.',
      params: CustomerParams, body: CreateConsentSchema,
      response: { 201: ConsentSchema, ...errors }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.create(partnerOf(request), request.params.customerId, request.body)
  })

  app.get('/v1/customers/:customerId/applicationconsents', {
    config: { auth: READ },
    schema: {
      operationId: 'listApplicationConsents', tags, summary: 'The applications consented in the customer\'s tenant',
      params: CustomerParams,
      response: { 200: SeekCollectionSchema(ConsentSchema, 'Application consents'), ...errors }
    }
  }, async (request) => collectionOf(await service.ofCustomer(partnerOf(request), request.params.customerId), selfOf(request)))

  app.delete('/v1/customers/:customerId/applicationconsents/:applicationId', {
    config: { auth: WRITE },
    schema: {
      operationId: 'deleteApplicationConsent', tags, summary: 'Remove the application\'s consent from the customer\'s tenant',
      description: 'The identity provider refuses the application\'s next token requests for the tenant (AADSTS7000229, AADSTS65001).',
      params: ConsentParams,
      response: { 204: Type.Null({ description: 'Removed' }), ...errors }
    }
  }, async (request, reply) => {
    await service.delete(partnerOf(request), request.params.customerId, request.params.applicationId)
    return reply.code(204).send(null)
  })
}

export default applicationConsents
