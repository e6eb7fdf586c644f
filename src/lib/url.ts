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
