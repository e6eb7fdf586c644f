// Partner Center webhooks: the partner's registration (/webhooks/v1/registration), the event names,
// and test events with their delivery status; outside the protected scope, the certificate that
// verifies the events' signatures. Deliveries themselves: src/webhooks/ (docs/webhooks.md).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import type { Config } from '../../config.js'
import { ErrorRef, protectedErrors } from '../../schemas/common.js'
import { CERTIFICATE_PATH } from '../../webhooks/signing.js'
import {
  CorrelationParams, EventNamesSchema, ValidationEventCreatedSchema, ValidationEventSchema, WebhookRegistrationSchema, WriteRegistrationSchema
} from './schemas.js'
import { createWebhooksService } from './service.js'

// "Appropriate roles: Global admin | Billing Admin | Admin agent | Sales agent | Helpdesk agent"; App and App+User.
const POLICY: AuthPolicy = { appOnly: true, partnerRoles: ['global_admin', 'billing_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent'] }
const tags = ['webhooks']
const REGISTRATION = '/webhooks/v1/registration'

const webhooks: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const service = createWebhooksService(app.db, { devMode: config.DEV_MODE })
  const now = () => app.clock.now()

  app.post(REGISTRATION, {
    config: { auth: POLICY },
    schema: {
      operationId: 'registerWebhook', tags, summary: 'Register for webhook events',
      description: 'One registration per partner (409 when it exists). Event names from GET /webhooks/v1/registration/events, in any case.',
      body: WriteRegistrationSchema,
      response: { 200: WebhookRegistrationSchema, ...protectedErrors, 409: ErrorRef }
    }
  }, async (request) => service.register(partnerOf(request), request.body, await now()))

  app.put(REGISTRATION, {
    config: { auth: POLICY },
    schema: {
      operationId: 'updateWebhookRegistration', tags, summary: 'Update the webhook registration',
      description: 'Replaces the URL and the events. Events already queued still go to the URL they were queued for.',
      body: WriteRegistrationSchema,
      response: { 200: WebhookRegistrationSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => service.update(partnerOf(request), request.body, await now()))

  app.get(REGISTRATION, {
    config: { auth: POLICY },
    schema: {
      operationId: 'getWebhookRegistration', tags, summary: 'Get the webhook registration',
      response: { 200: WebhookRegistrationSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => service.get(partnerOf(request)))

  app.delete(REGISTRATION, {
    config: { auth: POLICY },
    schema: {
      operationId: 'deleteWebhookRegistration', tags, summary: 'Delete the webhook registration',
      response: { 204: Type.Null(), ...protectedErrors, 404: ErrorRef }
    }
  }, async (request, reply) => {
    await service.remove(partnerOf(request))
    return reply.code(204).send(null)
  })

  app.get(`${REGISTRATION}/events`, {
    config: { auth: POLICY },
    schema: {
      operationId: 'listWebhookEvents', tags, summary: 'List the webhook event names',
      response: { 200: EventNamesSchema, ...protectedErrors }
    }
  }, async () => service.events())

  app.post(`${REGISTRATION}/validationEvents`, {
    config: { auth: POLICY },
    schema: {
      operationId: 'requestWebhookTestEvent', tags, summary: 'Send a test event to the registered URL',
      description: 'Queues a test-created event (at most 2 per minute: 429 beyond). Follow it with the returned correlation id.',
      response: { 200: ValidationEventCreatedSchema, ...protectedErrors, 404: ErrorRef, 429: ErrorRef }
    }
  }, async (request) => service.requestTestEvent(partnerOf(request), await now()))

  app.get(`${REGISTRATION}/validationEvents/:correlationId`, {
    config: { auth: POLICY },
    schema: {
      operationId: 'getWebhookTestEvent', tags, summary: 'Get a test event\'s delivery status',
      params: CorrelationParams,
      response: { 200: ValidationEventSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => service.testEvent(partnerOf(request), request.params.correlationId))
}

/** The certificate of the key that signs events (X-MS-Certificate-Url): public, as receivers fetch it. */
export const webhookCertificate: FastifyPluginAsyncTypebox = async (app) => {
  app.get(CERTIFICATE_PATH, {
    schema: {
      operationId: 'getWebhookSigningCertificate', tags, summary: 'The certificate that verifies webhook signatures (PEM)', security: [],
      description: 'Verify an event: RSA-SHA256 over the raw body bytes with this certificate\'s public key, against the base64 of the Authorization: Signature header.',
      response: { 200: Type.String() }
    }
  }, async (_request, reply) => reply.type('application/x-pem-file').send((await app.webhookSigner()).certificate))
}

export default webhooks
