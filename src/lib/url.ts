// URL helpers shared by the hooks and routes.

/** A request URL without its query string. */
export function pathOf (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}

/** A collection's `links.self`: the request URL as Partner Center writes it, without the `/v1` prefix. */
export function selfOf (request: { url: string }): string {
  return request.url.replace(/^\/v1/, '')
}

/**
 * Which surface a request URL belongs to, and so which envelope its errors take: Graph (/v1.0),
 * the identity provider's OAuth endpoints (JSON errors as Entra's), its sign-in pages (HTML), or
 * Partner Center and the control plane.
 */
export function envelopeOfUrl (url: string): 'graph' | 'oauth' | 'page' | 'partnerCenter' | 'storage' {
  const path = pathOf(url)
  if (path.startsWith('/v1.0/')) return 'graph'
  if (path.startsWith('/blobs/')) return 'storage'
  if (/^\/(v1|webhooks\/v1|auditactivity\/v1|_emulator)\//.test(path)) return 'partnerCenter'
  if (/^\/(sign-in|devicelogin)(\/|$)|\/oauth2(\/v2\.0)?\/(authorize|logout)$/.test(path)) return 'page'
  if (/\/(oauth2|discovery)\/|\/\.well-known\//.test(path)) return 'oauth'
  return 'partnerCenter'
}
