// TypeBox schemas of the webhook registration API (property names from Microsoft's Webhooks Swagger).
import { Type, type Static } from 'typebox'
import { Guid } from '../../schemas/common.js'

export const WebhookRegistrationSchema = Type.Object({
  subscriberId: Type.String({ description: 'The registration\'s id' }),
  webhookUrl: Type.String({ description: 'Where events are POSTed' }),
  webhookEvents: Type.Array(Type.String(), { description: 'The event names delivered (GET /webhooks/v1/registration/events)' }),
  signatureTokenToMsSignatureHeader: Type.Boolean({ description: 'true: the signature goes in x-ms-signature instead of Authorization' }),
  lastModifiedTimestamp: Type.String({ format: 'date-time' })
}, { description: 'The partner\'s webhook registration' })

export const WriteRegistrationSchema = Type.Object({
  webhookUrl: Type.String({ minLength: 1, maxLength: 2048, description: 'An absolute http(s) URL (https only outside dev mode)' }),
  webhookEvents: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100, description: 'Event names, any case' }),
  signatureTokenToMsSignatureHeader: Type.Optional(Type.Boolean()),
  subscriberId: Type.Optional(Type.String({ maxLength: 100 })),
  lastModifiedTimestamp: Type.Optional(Type.String({ maxLength: 64 }))
})

export const EventNamesSchema = Type.Array(Type.String(), { description: 'The event names a registration may ask for' })

export const ValidationEventCreatedSchema = Type.Object({
  correlationId: Type.String({ description: 'Follow the delivery with GET /webhooks/v1/registration/validationEvents/{correlationId}' })
})

export const WebhookResponseSchema = Type.Object({
  responseCode: Type.String({ description: 'The HTTP status of the attempt as .NET names it (OK, NotFound...), or None when no answer came' }),
  responseMessage: Type.String({ description: 'The start of the answer\'s body, or what went wrong' }),
  systemError: Type.Boolean({ description: 'true when the callback could not be reached (no HTTP answer)' }),
  dateTimeUtc: Type.String({ format: 'date-time' })
})

export const ValidationEventSchema = Type.Object({
  correlationId: Type.String(),
  partnerId: Type.String(),
  status: Type.String({ description: 'pending, completed or failed' }),
  callbackUrl: Type.String(),
  results: Type.Array(WebhookResponseSchema, { description: 'One entry per delivery attempt' })
}, { description: 'A test event and its delivery attempts' })

export const CorrelationParams = Type.Object({ correlationId: Guid('The correlation id returned when the test event was requested') })

export type WriteRegistration = Static<typeof WriteRegistrationSchema>
export type WebhookRegistration = Static<typeof WebhookRegistrationSchema>
