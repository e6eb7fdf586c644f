// Opaque ETags shaped like Partner Center's: base64 of {"id":...,"version":n}.

export function etagOf (id: string, version: number): string {
  return Buffer.from(JSON.stringify({ id, version })).toString('base64')
}

/** True when an If-Match header value names this ETag (quotes and a weak W/ prefix are ignored). */
export function ifMatchSatisfied (header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')
    return value === '*' || value === etag
  })
}
