// The key that signs webhook events, as Partner Center signs them: RSA with SHA-256 over the body's
// bytes, base64 in `Authorization: Signature <base64>`, the certificate of the key at X-MS-Certificate-Url.
// One key for every instance on the database, made by the first that needs it; the self-signed
// certificate (node-forge builds it, node:crypto makes the key and signs) is served at CERTIFICATE_PATH.
import { createPrivateKey, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { Kysely } from 'kysely'
import forge from 'node-forge'
import type { Database } from '../db/schema.js'
import { createWebhooksRepository } from './repository.js'

/** Where the certificate is served (without authentication: receivers fetch it to verify). */
export const CERTIFICATE_PATH = '/webhooks/v1/certificate'
export const SIGNATURE_ALGORITHM = 'rsa-sha256'

const DAY_MS = 86_400_000
const SUBJECT = [{ name: 'commonName', value: 'pcnotifications.emulator.local' }, { name: 'organizationName', value: 'Partner Center emulator' }]

export interface Signer {
  /** The base64 RSA-SHA256 signature of the UTF-8 bytes of `body`. */
  sign: (body: string) => string
  /** The certificate of the public key (PEM). */
  certificate: string
}

/** The signer of the database's key, made and stored on first use. */
export async function loadSigner (db: Kysely<Database>): Promise<Signer> {
  const keys = createWebhooksRepository(db)
  let stored = await keys.signingKey()
  if (!stored) {
    await keys.storeSigningKey(await createKey(new Date()))
    stored = await keys.signingKey()
    if (!stored) throw new Error('the webhook signing key could not be stored')
  }
  const privateKey: KeyObject = createPrivateKey(stored.private_key)
  return {
    sign: (body) => sign('sha256', Buffer.from(body, 'utf8'), privateKey).toString('base64'),
    certificate: stored.certificate
  }
}

async function createKey (now: Date): Promise<{ private_key: string, certificate: string }> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  })
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey)
  // A positive serial number of 64 random bits (RFC 5280 §4.1.2.2).
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`
  cert.validity.notBefore = new Date(now.getTime() - 60_000)
  cert.validity.notAfter = new Date(now.getTime() + 3650 * DAY_MS)
  cert.setSubject(SUBJECT)
  cert.setIssuer(SUBJECT)
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, critical: true }])
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create())
  return { private_key: privateKey, certificate: forge.pki.certificateToPem(cert) }
}
