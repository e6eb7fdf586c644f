// TOTP (RFC 6238) with the otpauth library: 6 digits every 30 seconds, SHA-1, as authenticator apps
// expect; one step of clock skew either way; the time step a code belongs to, so a code is good once.
import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'

const ISSUER = 'Partner Center emulator'
const PERIOD_S = 30

const totpOf = (secret: string, label = '') => new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: Secret.fromBase32(secret) })

/** A new secret, base32 as authenticator apps take it typed in. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32

/** The otpauth:// URI an authenticator app scans, and the same as a QR code (SVG). */
export async function enrolment (secret: string, userName: string): Promise<{ uri: string, qrSvg: string }> {
  const uri = totpOf(secret, userName).toString()
  return { uri, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1, width: 180 }) }
}

/** The time step of a valid code (this step, or one either side), or undefined. */
export function verifyTotp (secret: string, code: string, at = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const delta = totpOf(secret).validate({ token: code, timestamp: at, window: 1 })
  return delta === null ? undefined : Math.floor(at / 1000 / PERIOD_S) + delta
}

/** The current code of a secret (the control plane's helper, dev mode only; and the tests'). */
export const currentTotp = (secret: string, at = Date.now()): string => totpOf(secret).generate({ timestamp: at })
