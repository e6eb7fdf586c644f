// The development identity provider's issuer, shaped like Entra's v2 issuer: one per tenant under
// PUBLIC_BASE_URL. The verifier reads the tenant back from a token's `iss`.

export const devIssuer = (publicBaseUrl: string, tenantId: string) => `${publicBaseUrl}/${tenantId}/v2.0`

const patterns = new Map<string, RegExp>()

/** The tenant id of a dev issuer under `publicBaseUrl`, or undefined when `iss` is not one. */
export function devIssuerTenant (publicBaseUrl: string, iss: string): string | undefined {
  let pattern = patterns.get(publicBaseUrl)
  if (!pattern) {
    const base = publicBaseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    pattern = new RegExp(`^${base}/([0-9a-f-]{36})/v2\\.0$`)
    patterns.set(publicBaseUrl, pattern)
  }
  return pattern.exec(iss)?.[1]
}
