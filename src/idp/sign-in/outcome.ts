// What the sign-in's steps answer (a page, a redirect, a form_post) and the requests they keep; how an
// answer goes back to the client's redirect URI (query or form_post, with its state).
import type { OAuthError } from '../errors.js'

/** The authorization request's parameters the sign-in keeps (Entra's names). */
export type AuthorizeParams = Partial<Record<typeof AUTHORIZE_PARAMS[number], string>>
export const AUTHORIZE_PARAMS = [
  'client_id', 'response_type', 'redirect_uri', 'response_mode', 'scope', 'resource', 'state', 'nonce', 'code_challenge',
  'code_challenge_method', 'prompt', 'login_hint', 'max_age', 'claims', 'amr_values', 'acr_values'
] as const

/** What a sign-in request keeps: the authorization request, and for a device its code, for a first registration its secret. */
export type SignInParams = AuthorizeParams & { device_code_hash?: string, pending_secret?: string }

/** What a step of the sign-in answers: a page, or where the browser goes next (with the session to keep). */
export type Outcome =
  | { kind: 'page', page: Page, session?: NewSession }
  | { kind: 'redirect', location: string, session?: NewSession }
  | { kind: 'form_post', action: string, fields: Record<string, string>, session?: NewSession }

export interface NewSession { id: string, expiresAt: Date }

export type Page =
  | { step: 'password', requestId: string, appName: string, loginHint: string, error?: string }
  | { step: 'federation', requestId: string, provider: string, userName: string, error?: string }
  | { step: 'mfa', requestId: string, userName: string, error?: string }
  | { step: 'register', requestId: string, userName: string, secret: string, uri: string, qrSvg: string, error?: string }
  | { step: 'device', error?: string }
  | { step: 'device-confirm', userCode: string, appName: string }
  | { step: 'device-declined', appName: string }
  | { step: 'device-done', appName: string }
  | { step: 'signed-out' }
  | { step: 'error', error: OAuthError }

/** Back to the client's redirect URI: in the query, or posted by the browser (response_mode=form_post). */
export function respond (params: AuthorizeParams, fields: Record<string, string>, session?: NewSession): Outcome {
  if (params.response_mode === 'form_post') return { kind: 'form_post', action: params.redirect_uri!, fields, ...(session ? { session } : {}) }
  const location = new URL(params.redirect_uri!)
  for (const [name, value] of Object.entries(fields)) location.searchParams.set(name, value)
  return { kind: 'redirect', location: location.href, ...(session ? { session } : {}) }
}

/** Where the client's error goes: back to its redirect URI, with the state it sent. */
export function redirectError (params: AuthorizeParams, error: OAuthError): Outcome {
  return respond(params, {
    error: error.error, error_description: `AADSTS${error.aadsts}: ${error.message}`, error_codes: String(error.aadsts), ...(params.state ? { state: params.state } : {})
  })
}

/** An error the client cannot be trusted to receive (unknown client, unregistered redirect URI): shown on a page. */
export function errorPage (error: OAuthError): Outcome {
  return { kind: 'page', page: { step: 'error', error } }
}
