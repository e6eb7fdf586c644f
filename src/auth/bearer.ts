// Steps 1 and 2 of the decision table, the transport rules: exactly one Authorization header with
// the Bearer scheme, and the token nowhere else (not in the query string, not in a request body).
import type { FastifyRequest } from 'fastify'
import { authInvalidRequest, authMissing } from '../errors.js'

const BEARER = /^bearer(?: +(.*))?$/i

/** The bearer token of the request, or the step-1/step-2 error. */
export function bearerTokenOf (request: FastifyRequest): string {
  // Node keeps only the first of several Authorization lines, so count the raw ones.
  if (countAuthorizationLines(request.raw.rawHeaders) > 1) throw authInvalidRequest('Send exactly one Authorization header.')
  const query = request.url.indexOf('?')
  if (query !== -1 && new URLSearchParams(request.url.slice(query + 1)).has('access_token')) {
    throw authInvalidRequest('Send the token in the Authorization header only, never in the query string.')
  }
  const match = BEARER.exec(request.headers.authorization ?? '')
  if (!match) throw authMissing('No bearer token: send Authorization: Bearer <access token>.')
  const token = match[1]?.trim()
  if (!token) throw authMissing('The Authorization header carries the Bearer scheme but no token.')
  return token
}

/** Step 1 also covers a token sent in a request body (RFC 6750 §2.2 form or a JSON field). */
export function bodyTokenError (body: unknown): Error | undefined {
  if (body !== null && typeof body === 'object' && Object.keys(body).some((k) => k.toLowerCase() === 'access_token')) {
    return authInvalidRequest('Send the token in the Authorization header only, never in the request body.')
  }
  return undefined
}

function countAuthorizationLines (rawHeaders: string[]): number {
  let count = 0
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === 13 && rawHeaders[i]!.toLowerCase() === 'authorization') count++
  }
  return count
}
