// Address validation (POST /v1/validations/address) and address formatting rules by market
// (GET /v1/countryvalidationrules/{countryCode}): both allow app-only tokens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AuthPolicy } from '../../auth/policy.js'
import { ErrorRef, protectedErrors } from '../../schemas/common.js'
import { AddressSchema, AddressValidationSchema, CountryParams, CountryValidationRulesSchema } from './schemas.js'
import { createValidationsService } from './service.js'

// Whoever edits customer details (Admin, Sales and Helpdesk agents); APP+AU in both pages.
const POLICY: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const tags = ['validations']

const validations: FastifyPluginAsyncTypebox = async (app) => {
  const service = createValidationsService()

  app.post('/v1/validations/address', {
    config: { auth: POLICY },
    schema: {
      operationId: 'validateAddress', tags, summary: 'Validate an address',
      description: 'Checks the address against its market\'s rules (GET /v1/countryvalidationrules/{countryCode}) and answers 200 with a status ' +
        '(VerifiedShippable, Verified, InteractionRequired, StreetPartial, None, NotValidated), the address as sent and the suggested ones.',
      body: AddressSchema,
      response: { 200: AddressValidationSchema, ...protectedErrors }
    }
  }, async (request) => service.validateAddress(request.body))

  app.get('/v1/countryvalidationrules/:countryCode', {
    config: { auth: POLICY },
    schema: {
      operationId: 'getCountryValidationRules', tags, summary: 'Get address formatting rules by market',
      description: 'Required fields, the postal code pattern, the states, languages and cultures of a market. 404 for a market the emulator has no rules for.',
      params: CountryParams,
      response: { 200: CountryValidationRulesSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => service.countryRules(request.params.countryCode))
}

export default validations
