// The development identity provider's HTTP routes (dev mode only): Entra's paths for OpenID metadata,
// signing keys, instance discovery and the token endpoint, and the control plane's token minting and
// persona list.
// Not behind the auth hook: in dev mode anyone who reaches the port can mint tokens, which is its
// purpose. Never expose a DEV_MODE instance beyond the machines that test against it.
import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../config.js'
import { createDirectoryRepository } from '../directory/repository.js'
import { malformedTokenRequest, missingParameter } from './errors.js'
import { ErrorRef } from '../schemas/common.js'
import { InstanceDiscoveryQuery, MintedTokenSchema, MintTokenSchema, TenantParams, TokenRequest } from './schemas.js'
import { createIdentityProvider } from './service.js'

const identityProvider: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  await app.register(formbody)
  const idp = createIdentityProvider(createDirectoryRepository(app.db), app.devKeys!, config)

  // Entra's two endpoint layouts: v2.0 (scope=…/.default) and v1 (resource=…), per authority.
  for (const version of [2, 1] as const) {
    const v = version === 2 ? '/v2.0' : ''
    app.get(`/:tenant${v}/.well-known/openid-configuration`, {
      schema: {
        operationId: version === 2 ? 'getOpenIdConfiguration' : 'getOpenIdConfigurationV1', tags: ['identity'],
        summary: `OpenID Connect metadata (${version === 2 ? 'v2.0' : 'v1'} endpoints) of a tenant (id or domain), common or organizations`,
        security: [], params: TenantParams
      }
    }, async (request) => idp.openIdConfiguration(request.params.tenant, version))

    app.get(`/:tenant/discovery${v}/keys`, {
      schema: {
        operationId: version === 2 ? 'getSigningKeys' : 'getSigningKeysV1', tags: ['identity'], summary: 'Signing keys (JWKS)',
        security: [], params: TenantParams
      }
    }, async () => idp.publicKeys())

    app.post(`/:tenant/oauth2${v}/token`, {
      schema: {
        operationId: version === 2 ? 'requestToken' : 'requestTokenV1', tags: ['identity'], summary: 'OAuth 2.0 token endpoint',
        description: 'client_credentials (app-only) or password (app+user, amr ["pwd"]: no MFA) with a v1 `resource` or a v2 `scope` ending in /.default.',
        security: [], params: TenantParams, consumes: ['application/x-www-form-urlencoded'], body: TokenRequest
      },
      attachValidation: true
    }, async (request) => {
      if (request.validationError) throw request.body?.grant_type === undefined ? missingParameter('grant_type') : malformedTokenRequest()
      return idp.issueToken(request.params.tenant, request.body, request.headers.authorization)
    })
  }

  app.get('/common/discovery/instance', {
    schema: {
      operationId: 'discoverInstance', tags: ['identity'], summary: 'Instance discovery, as Entra answers it (MSAL)',
      security: [], querystring: InstanceDiscoveryQuery
    }
  }, async (request) => idp.instanceDiscovery(request.query.authorization_endpoint))

  app.post('/_emulator/tokens', {
    schema: {
      operationId: 'mintToken', tags: ['emulator'], summary: 'Mint a dev access token',
      description: 'No userId: app-only token. A user token defaults to amr ["pwd","mfa"]. Claims override anything, so tests can craft bad tokens.',
      security: [], body: MintTokenSchema,
      response: { 200: MintedTokenSchema, 400: ErrorRef, 404: ErrorRef }
    }
  }, async (request) => idp.mint(request.body))

  app.get('/_emulator/personas', {
    schema: {
      operationId: 'listPersonas', tags: ['emulator'], summary: 'Partner tenants, their apps and users',
      security: []
    }
  }, async () => idp.personas())
}

export default identityProvider
