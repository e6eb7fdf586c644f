// The development identity provider, on Entra's paths: OpenID metadata, signing keys and the token
// endpoint (client credentials for app-only tokens; resource-owner password for app+user tokens
// without MFA, which is exactly what Partner Center refuses).
import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Config } from '../../config.js'
import { devIssuer } from '../../identity/audiences.js'
import { OAuthError } from '../../plugins/error-handler.js'
import { issueToken, resolveTenant } from './tokens.js'

const TenantParams = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 256, description: 'Tenant id or default domain' }) })

const TokenRequest = Type.Object({
  grant_type: Type.String(),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  resource: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String())
})

export default async function identityProvider (app: FastifyInstance, { config }: { config: Config }) {
  await app.register(formbody)
  const base = config.PUBLIC_BASE_URL

  app.get('/:tenant/v2.0/.well-known/openid-configuration', {
    schema: { operationId: 'getOpenIdConfiguration', tags: ['identity'], summary: 'OpenID Connect metadata', security: [], params: TenantParams }
  }, async (request) => {
    const tenant = await resolveTenant(app.db, (request.params as { tenant: string }).tenant)
    return {
      issuer: devIssuer(base, tenant.id),
      token_endpoint: `${base}/${tenant.id}/oauth2/v2.0/token`,
      jwks_uri: `${base}/${tenant.id}/discovery/v2.0/keys`,
      response_types_supported: ['token'],
      grant_types_supported: ['client_credentials', 'password'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'offline_access'],
      tenant_region_scope: 'WW',
      cloud_instance_name: 'emulator'
    }
  })

  app.get('/:tenant/discovery/v2.0/keys', {
    schema: { operationId: 'getSigningKeys', tags: ['identity'], summary: 'Signing keys (JWKS)', security: [], params: TenantParams }
  }, async () => app.identity.devKeys!.publicJwks())

  app.post('/:tenant/oauth2/v2.0/token', {
    schema: {
      operationId: 'requestToken', tags: ['identity'], summary: 'OAuth 2.0 token endpoint',
      description: 'client_credentials (app-only) or password (app+user, amr ["pwd"]: no MFA) with a v1 `resource` or a v2 `scope` ending in /.default.',
      security: [], params: TenantParams, consumes: ['application/x-www-form-urlencoded'], body: TokenRequest
    },
    attachValidation: true
  }, async (request) => {
    if (request.validationError) throw new OAuthError(400, 'invalid_request', 'The token request is malformed.')
    const tenant = await resolveTenant(app.db, (request.params as { tenant: string }).tenant)
    return issueToken(app, config, tenant, request.body as Record<string, string | undefined>, request.headers.authorization)
  })
}
