// Agreements: the Microsoft Customer Agreement's metadata, and customers' confirmations of it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import { AgreementMetadataSchema, AgreementSchema, AgreementTypeQuery, CreateAgreementSchema, CustomerParams } from './schemas.js'
import { createAgreementsService } from './service.js'

// App+User only, as every agreement page says; written by Admin and Sales agents, read also by Helpdesk agents.
const READ: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const WRITE: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'sales_agent'] }
const errors = { ...protectedErrors, 404: ErrorRef, 409: ErrorRef }
const tags = ['agreements']

const agreements: FastifyPluginAsyncTypebox = async (app) => {
  const service = createAgreementsService(app.db)

  app.get('/v1/agreements', {
    config: { auth: READ },
    schema: {
      operationId: 'listAgreementMetadata', tags, summary: 'Agreement templates (Microsoft Customer Agreement)',
      querystring: AgreementTypeQuery,
      response: { 200: SeekCollectionSchema(AgreementMetadataSchema, 'Agreement metadata'), ...errors }
    }
  }, async (request) => collectionOf(service.templates(request.query.agreementType), selfOf(request)))

  app.post('/v1/customers/:customerId/agreements', {
    config: { auth: WRITE },
    schema: {
      operationId: 'createCustomerAgreement', tags, summary: 'Confirm the customer\'s acceptance of the Microsoft Customer Agreement',
      params: CustomerParams, body: CreateAgreementSchema,
      response: { 201: AgreementSchema, ...errors }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.confirm(partnerOf(request), request.params.customerId, request.body, request.principal!.objectId)
  })

  app.get('/v1/customers/:customerId/agreements', {
    config: { auth: READ },
    schema: {
      operationId: 'listCustomerAgreements', tags, summary: 'The customer\'s agreement confirmations',
      params: CustomerParams, querystring: AgreementTypeQuery,
      response: { 200: SeekCollectionSchema(AgreementSchema, 'Agreements'), ...errors }
    }
  }, async (request) => collectionOf(await service.ofCustomer(partnerOf(request), request.params.customerId), selfOf(request)))
}

export default agreements
