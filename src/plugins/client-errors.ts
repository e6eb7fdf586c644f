// Errors Fastify meets before any route or hook can run, answered in the Partner Center envelope
// rather than Fastify's own shape: a request Node's HTTP parser refuses (431 headers too large, 400 a
// malformed request line or header), and a URL Fastify cannot decode (`%zz`). The parser's errors come
// with no request to tell the surface by, so they take the Partner Center envelope.
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { invalidRequest } from '../errors.js'
import { OAuthError } from '../idp/errors.js'
import { renderPage } from '../idp/sign-in/pages.js'
import { envelopeOfUrl } from '../lib/url.js'
import { send } from './error-handler.js'

/** Fastify's `frameworkErrors`: a URL it cannot decode, and the like; the sign-in pages answer with a page. */
export function answerFrameworkError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (envelopeOfUrl(request.url) === 'page') {
    reply.code(400).type('text/html; charset=utf-8').header('Cache-Control', 'no-store')
      .send(renderPage({ step: 'error', error: new OAuthError(400, 'invalid_request', 90014, 'The address of this page is malformed.') }, ''))
    return
  }
  send(request, reply, invalidRequest(`The request is not valid: ${error.message}.`))
}

/** Fastify's `clientErrorHandler`: what Node's HTTP parser refused, answered on the raw socket. */
export function answerClientError (error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const description = status === 431
    ? 'The request\'s headers are too large.'
    : status === 408 ? 'The request took too long to arrive.' : 'The request is not valid HTTP.'
  const body = JSON.stringify({ code: status === 400 ? 800002 : status, description, data: [], source: 'PartnerFD' })
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}
