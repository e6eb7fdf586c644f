// Client secrets and user passwords are stored as scrypt hashes (node:crypto), compared in constant time;
// random bearer values (codes, refresh tokens, session ids) as SHA-256 hashes.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>
const KEY_LENGTH = 32

export async function hashSecret (secret: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scryptAsync(secret, salt, KEY_LENGTH)
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`
}

export async function verifySecret (secret: string, stored: string | null): Promise<boolean> {
  const [scheme, salt, hash] = stored?.split('$') ?? []
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length)
  return timingSafeEqual(actual, expected)
}

/** A random password of the kind Partner Center returns for a new customer's admin. */
export function generatePassword (): string {
  return `Pc${randomBytes(12).toString('base64url')}9!`
}

/** An unguessable bearer value (authorization codes, refresh tokens, session ids): 256 random bits. */
export const randomToken = (): string => randomBytes(32).toString('base64url')

/** What is stored of a random token: its SHA-256 (its entropy makes a slow hash needless). */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')
