// The development identity provider's HTTP routes (dev mode only): Entra's paths for OpenID metadata,
// signing keys, instance discovery, the token and device code endpoints; the sign-in pages
// (sign-in/routes.ts); and the control plane's token minting, personas and sign-in helpers.
// Not behind the auth hook: in dev mode anyone who reaches the port can mint tokens, which is its
// purpose. Never expose a DEV_MODE instance beyond the machines that test against it.
import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../config.js'
import { createDirectoryRepository } from '../directory/repository.js'
import { malformedTokenRequest, missingParameter } from './errors.js'
import { ErrorRef } from '../schemas/common.js'
import controlPlane from './control/routes.js'
import { createTokenService } from './grants/service.js'
import { DeviceCodeRequest, InstanceDiscoveryQuery, MintedTokenSchema, MintTokenSchema, TenantParams, TokenRequest } from './schemas.js'
import { createIdentityProvider } from './service.js'
import signIn from './sign-in/routes.js'

const identityProvider: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  await app.register(formbody)
  await app.register(signIn, { config })
  await app.register(controlPlane)
  const idp = createIdentityProvider(createDirectoryRepository(app.db), app.devKeys!, config)
  const tokens = createTokenService({ db: app.db, devKeys: app.devKeys!, clock: app.clock, publicBaseUrl: config.PUBLIC_BASE_URL })

  // Entra's two endpoint layouts: v2.0 (scope=…/.default) and v1 (resource=…), per authority.
  for (const version of [2, 1] as const) {
    const v = version === 2 ? '/v2.0' : ''
    const id = (name: string) => version === 2 ? name : `${name}V1`
    app.get(`/:tenant${v}/.well-known/openid-configuration`, {
      schema: {
        operationId: id('getOpenIdConfiguration'), tags: ['identity'],
        summary: `OpenID Connect metadata (${version === 2 ? 'v2.0' : 'v1'} endpoints) of a tenant (id or domain), common or organizations`,
        security: [], params: TenantParams
      }
    }, async (request) => idp.openIdConfiguration(request.params.tenant, version))

    app.get(`/:tenant/discovery${v}/keys`, {
      schema: { operationId: id('getSigningKeys'), tags: ['identity'], summary: 'Signing keys (JWKS)', security: [], params: TenantParams }
    }, async () => idp.publicKeys())

    app.post(`/:tenant/oauth2${v}/token`, {
      schema: {
        operationId: id('requestToken'), tags: ['identity'], summary: 'OAuth 2.0 token endpoint',
        description: 'client_credentials (app-only); password (app+user, amr ["pwd"]: never MFA); authorization_code with PKCE; ' +
          'refresh_token (rotating, one-time; keeps the sign-in\'s amr); urn:ietf:params:oauth:grant-type:device_code.',
        security: [], params: TenantParams, consumes: ['application/x-www-form-urlencoded'], body: TokenRequest
      },
      attachValidation: true
    }, async (request) => {
      if (request.validationError) throw request.body?.grant_type === undefined ? missingParameter('grant_type') : malformedTokenRequest()
      return tokens.issue(request.params.tenant, request.body, { ipAddress: request.ip, authorization: request.headers.authorization })
    })

    app.post(`/:tenant/oauth2${v}/devicecode`, {
      schema: {
        operationId: id('requestDeviceCode'), tags: ['identity'], summary: 'Device authorization endpoint (RFC 8628)',
        description: 'A device code to poll the token endpoint with, and a user code to enter on /devicelogin.',
        security: [], params: TenantParams, consumes: ['application/x-www-form-urlencoded'], body: DeviceCodeRequest
      },
      attachValidation: true
    }, async (request) => {
      if (request.validationError) throw malformedTokenRequest()
      return tokens.startDeviceFlow(request.params.tenant, request.body)
    })
  }

  app.get('/common/discovery/instance', {
    schema: {
      operationId: 'discoverInstance', tags: ['identity'], summary: 'Instance discovery, as Entra answers it (MSAL)',
      security: [], querystring: InstanceDiscoveryQuery
    }
  }, async (request) => idp.instanceDiscovery(request.query.authorization_endpoint))

  app.post('/_emulator/tokens', {
    config: { storesNoInput: true },
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
