// What the log keeps of a request: its method, its URL with the values of credential-bearing query
// parameters replaced (a client that puts a token, code or password in the URL must not see it in the
// log), and where it came from. Headers and bodies are never logged; pino's redaction (src/app.ts)
// covers the objects the code logs itself.
import type { FastifyRequest } from 'fastify'

/** Query parameters whose values are secrets, as OAuth and Partner Center clients use them. */
const SECRET_PARAMETERS = /^(access_token|id_token|refresh_token|token|code|code_verifier|device_code|client_secret|client_assertion|password|secret|sig|signature)$/i

export function requestForLog (request: FastifyRequest) {
  return {
    method: request.method,
    url: withoutSecrets(request.url),
    hostname: request.hostname,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}

function withoutSecrets (url: string): string {
  const query = url.indexOf('?')
  if (query === -1) return url
  const parameters = url.slice(query + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=')
    const name = equals === -1 ? pair : pair.slice(0, equals)
    let decoded = name
    try { decoded = decodeURIComponent(name) } catch { /* a malformed name stays as it is */ }
    return equals !== -1 && SECRET_PARAMETERS.test(decoded) ? `${name}=[Redacted]` : pair
  })
  return `${url.slice(0, query)}?${parameters.join('&')}`
}
