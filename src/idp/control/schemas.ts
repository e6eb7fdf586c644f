// Shapes of the sign-in helpers of the control plane (dev mode).
import { Type, type Static } from 'typebox'

export const UserParams = Type.Object({ tenantId: Type.String({ maxLength: 256 }), userId: Type.String({ maxLength: 256 }) })
export const AppParams = Type.Object({ tenantId: Type.String({ maxLength: 256 }), appId: Type.String({ maxLength: 256 }) })
export const TenantParams = Type.Object({ tenantId: Type.String({ maxLength: 256 }) })

export const MfaRegistrationSchema = Type.Object({
  userId: Type.String(),
  method: Type.Literal('totp'),
  registeredAt: Type.String({ format: 'date-time' }),
  secret: Type.String({ description: 'The base32 secret the authenticator app holds (dev mode only)' }),
  currentCode: Type.String({ description: 'The code the authenticator app shows now' })
})

export const RegisterMfaSchema = Type.Object({
  secret: Type.Optional(Type.String({ pattern: '^[A-Z2-7]{16,128}=*$', description: 'A base32 secret; default: a new random one' }))
})
export type RegisterMfa = Static<typeof RegisterMfaSchema>

export const SetPasswordSchema = Type.Object({ password: Type.String({ minLength: 8, maxLength: 256 }) })

export const RevokedSchema = Type.Object({
  refreshTokensRevoked: Type.Integer(),
  sessionsEnded: Type.Integer()
})

export const RedirectUrisSchema = Type.Object({
  redirectUris: Type.Array(Type.String({ format: 'uri', maxLength: 2048 }), { maxItems: 64, description: 'Besides any http://localhost or http://127.0.0.1 URI, which is always allowed' })
})

export const MfaPolicySchema = Type.Object({
  mfaPolicy: Type.Union([Type.Literal('enforced'), Type.Literal('on_request')], {
    description: 'enforced: MFA at every interactive sign-in, and no password grant; on_request: only when the application asks (claims, amr_values, acr_values)'
  })
})
