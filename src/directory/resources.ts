// The resource applications this service is (Partner Center and Microsoft Graph): the API surface
// each serves and the token audiences it accepts, as the identity provider issues and the hook checks them.

export type Surface = 'partnerCenter' | 'graph'

export const PARTNER_CENTER_RESOURCE = 'https://api.partnercenter.microsoft.com'
export const PARTNER_CENTER_APP_ID = 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd'
export const GRAPH_RESOURCE = 'https://graph.microsoft.com'
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000'

export const AUDIENCES: Record<Surface, string[]> = {
  partnerCenter: [PARTNER_CENTER_RESOURCE, `${PARTNER_CENTER_RESOURCE}/`, PARTNER_CENTER_APP_ID],
  graph: [GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID]
}

/** The application id of each resource: what a consent's grant names as its enterpriseApplicationId. */
export const RESOURCE_APP_ID: Record<Surface, string> = { partnerCenter: PARTNER_CENTER_APP_ID, graph: GRAPH_APP_ID }

/** Delegated scope a user token carries for each surface. */
export const USER_SCOPE: Record<Surface, string> = {
  partnerCenter: 'user_impersonation',
  graph: 'DelegatedAdminRelationship.ReadWrite.All PartnerBilling.Read.All'
}

/**
 * Application permissions an app-only token carries (`roles`) for each surface. Every partner app is
 * taken as admin-consented in its tenant for Graph's DelegatedAdminRelationship.ReadWrite.All (GDAP
 * automation) and PartnerBilling.Read.All (the billing export); Partner Center has no application permissions.
 */
export const APP_ROLES: Record<Surface, readonly string[]> = {
  partnerCenter: [],
  graph: ['DelegatedAdminRelationship.ReadWrite.All', 'PartnerBilling.Read.All']
}

export const surfaceOfUrl = (url: string): Surface => url.startsWith('/v1.0/') ? 'graph' : 'partnerCenter'

export const surfaceOfAudience = (audience: string): Surface | undefined =>
  (Object.keys(AUDIENCES) as Surface[]).find((s) => AUDIENCES[s].includes(audience))
