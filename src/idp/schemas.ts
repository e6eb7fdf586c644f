// Shapes of the development identity provider's endpoints and of the control plane's token minting.
import { Type, type Static } from 'typebox'
import { AUDIENCES } from '../directory/resources.js'

export const TenantParams = Type.Object({
  tenant: Type.String({ minLength: 1, maxLength: 256, description: 'Tenant id or default domain, or common or organizations' })
})

export const InstanceDiscoveryQuery = Type.Object({
  'api-version': Type.Optional(Type.String()),
  authorization_endpoint: Type.Optional(Type.String({ maxLength: 2048, description: 'The authority\'s authorization endpoint' }))
})

const field = (description?: string) => Type.Optional(Type.String({ maxLength: 8192, ...(description ? { description } : {}) }))

/** The token endpoint's form (RFC 6749, RFC 7636, RFC 8628, Entra's extras); which fields a grant needs is checked by the grant. */
export const TokenRequest = Type.Object({
  grant_type: Type.String({ description: 'client_credentials, password, authorization_code, refresh_token or urn:ietf:params:oauth:grant-type:device_code' }),
  client_id: field(),
  client_secret: field(),
  scope: field('v2.0: the resource\'s permissions and the OpenID scopes'),
  resource: field('v1: the resource'),
  username: field(),
  password: field(),
  code: field(),
  redirect_uri: field(),
  code_verifier: field('PKCE'),
  refresh_token: field(),
  device_code: field(),
  client_info: field('1: answer with MSAL\'s client_info'),
  claims: field('A claims request; amr "mfa" asks for MFA'),
  amr_values: field(),
  acr_values: field()
})
export type TokenForm = Partial<Static<typeof TokenRequest>>

/** The device authorization request (RFC 8628 §3.1). */
export const DeviceCodeRequest = Type.Object({ client_id: field(), scope: field(), resource: field() })

export const MintTokenSchema = Type.Object({
  tenantId: Type.String({ description: 'Partner tenant id or default domain' }),
  userId: Type.Optional(Type.String({ description: 'User object id or UPN; absent for an app-only token' })),
  appId: Type.Optional(Type.String({ description: 'Client app id; default: the tenant\'s first app' })),
  amr: Type.Optional(Type.Unknown({ description: 'The amr claim as given (default ["pwd","mfa"] for users)' })),
  audience: Type.Optional(Type.String({ description: `Default ${AUDIENCES.partnerCenter[0]}` })),
  expiresInSeconds: Type.Optional(Type.Integer({ minimum: -86400, maximum: 86400, description: 'Default 3600; negative for an expired token' })),
  claims: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Extra or overriding claims' }))
})
export type MintToken = Static<typeof MintTokenSchema>

export const MintedTokenSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer()
})
