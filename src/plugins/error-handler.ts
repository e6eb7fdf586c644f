// Errors map to HTTP in one place, in the envelope of the surface that was called:
// Partner Center {code, description, data, source} on /v1, Graph {error:{...}} on /v1.0,
// OAuth {error, error_description} on the identity provider, Azure Storage's XML document on the
// export files (/blobs). Unknown paths answer 404, known
// paths with another method 405 (with Allow), both in the same envelopes.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { databaseErrorKind, isDatabaseUnavailable } from '../db/errors.js'
import { ApiError, conflictingWrite, databaseUnavailable, internalError, invalidRequest, methodNotAllowed, resourceNotFound, transientFailure } from '../errors.js'
import { OAuthError, temporarilyUnavailable } from '../idp/errors.js'
import { isGuid } from '../lib/ids.js'
import { storageCodeOf, storageErrorDocument } from '../lib/storage-errors.js'
import { envelopeOfUrl, pathOf } from '../lib/url.js'

async function errorHandlerPlugin (app: FastifyInstance) {
  const knownRoutes = FindMyWay()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) knownRoutes.on(method as HTTPMethod, route.url, () => {})
  })

  app.setErrorHandler((error: FastifyError | ApiError | OAuthError, request, reply) => {
    if (error instanceof OAuthError) return sendOAuth(request, reply, error)
    const apiError = toApiError(error)
    if (apiError.statusCode >= 500 || apiError.cause !== undefined) request.log.error({ err: error }, 'request failed')
    return send(request, reply, apiError)
  })

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url)
    const allowed = (['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const)
      .filter((m) => m !== request.method && knownRoutes.find(m, path) !== null)
    return send(request, reply, allowed.length > 0 ? methodNotAllowed(request.method, allowed) : resourceNotFound(`No resource at ${path}.`))
  })
}

/** An error the identity provider's endpoints answer: its status, in Entra's words for what it is. */
function oauthErrorOf (error: ApiError): OAuthError {
  if (error.statusCode === 503) return temporarilyUnavailable()
  if (error.statusCode >= 500) return new OAuthError(error.statusCode, 'server_error', 90033, 'An internal error occurred.')
  return new OAuthError(error.statusCode, 'invalid_request', 90014, error.message)
}

function toApiError (error: FastifyError | ApiError): ApiError {
  if (error instanceof ApiError) return error
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error)
  // Database failures no service expected: a lost race is the client's to retry, never a 500.
  switch (databaseErrorKind(error)) {
    case 'uniqueViolation':
    case 'foreignKeyViolation': return conflictingWrite(error)
    case 'serializationFailure':
    case 'deadlockDetected': return transientFailure(error)
  }
  if ('validation' in error && error.validation) {
    return invalidRequest(`The request is not valid: ${error.message}.`, error.validation.map((v) => ({
      field: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`, message: v.message ?? 'invalid'
    })))
  }
  const status = error.statusCode ?? 500
  if (status < 500) return new ApiError(status, status === 415 || status === 413 ? status : 800002, error.message)
  return internalError(error)
}

/**
 * An OAuth error as Entra answers it: the AADSTS code, trace and correlation ids and the time in the
 * description and beside it. The correlation id is the client's `client-request-id` (MSAL sends one).
 */
function sendOAuth (request: FastifyRequest, reply: FastifyReply, error: OAuthError): FastifyReply {
  const traceId = isGuid(request.id) ? request.id : crypto.randomUUID()
  const clientRequestId = request.headers['client-request-id']
  const correlationId = isGuid(clientRequestId) ? clientRequestId.toLowerCase() : request.correlationId
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')
  return reply.code(error.statusCode).header('Cache-Control', 'no-store').send({
    error: error.error,
    error_description: `AADSTS${error.aadsts}: ${error.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [error.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    // Entra's own page for the code: it explains what the client should do.
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
    ...(error.suberror ? { suberror: error.suberror } : {})
  })
}

/** An API error in the envelope of the surface the request called; on the identity provider's endpoints, as an OAuth error. */
export function send (request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  const surface = envelopeOfUrl(request.url)
  if (surface === 'oauth' || surface === 'page') return sendOAuth(request, reply.headers(error.headers), oauthErrorOf(error))
  reply.code(error.statusCode).headers(error.headers)
  if (error.statusMessage) reply.raw.statusMessage = error.statusMessage
  if (surface === 'storage') {
    const code = storageCodeOf(error.statusCode)
    return reply.type('application/xml').header('x-ms-error-code', code).send(storageErrorDocument(code, error.message, request.id))
  }
  if (surface === 'graph') {
    return reply.send({
      error: {
        code: error.graphCode,
        message: error.message,
        innerError: { date: new Date().toISOString(), 'request-id': request.id, 'client-request-id': request.clientRequestId || request.id }
      }
    })
  }
  return reply.send({ code: error.code, description: error.message, data: error.data, source: 'PartnerFD' })
}

export default fp(errorHandlerPlugin, { name: 'error-handler', dependencies: ['wire'] })
