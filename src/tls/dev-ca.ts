// HTTPS for development (TLS=on): a local certificate authority that the emulator creates on first
// start and keeps in TLS_DIR, and a server certificate it signs for localhost, 127.0.0.1, ::1 and the
// PUBLIC_BASE_URL host. Clients trust the CA (NODE_EXTRA_CA_CERTS, or GET /_emulator/ca.pem) and so
// every server certificate it signs, restart after restart. Certificates are built with node-forge;
// keys come from node:crypto.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import path from 'node:path'
import forge from 'node-forge'

export interface TlsMaterial {
  key: string
  cert: string
  /** The development CA's certificate (PEM), or undefined when the certificate is the user's own. */
  caCert: string | undefined
}

const DAY_MS = 86_400_000
const CA_NAME = [{ name: 'commonName', value: 'Partner Center emulator development CA' }, { name: 'organizationName', value: 'Partner Center emulator' }]
/** Browsers refuse server certificates valid for more than 398 days. */
const SERVER_DAYS = 397
/** A server certificate this close to its end is made again at start. */
const RENEW_DAYS = 30

/** The hosts a server certificate must name: the loopback names and the public base URL's host. */
export function serverHosts (publicBaseUrl: string): string[] {
  const host = new URL(publicBaseUrl).hostname.replace(/^\[(.*)\]$/, '$1')
  return [...new Set(['localhost', '127.0.0.1', '::1', host])]
}

/** The CA (created when TLS_DIR has none) and a server certificate for `hosts` (made again when it no longer fits). */
export async function devCertificates (dir: string, hosts: readonly string[], now = new Date()): Promise<TlsMaterial> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const files = { caCert: path.join(dir, 'ca.pem'), caKey: path.join(dir, 'ca-key.pem'), cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server-key.pem') }
  let ca = await readPair(files.caCert, files.caKey)
  if (!ca) {
    ca = createCa(now)
    await writePair(files.caCert, ca.cert, files.caKey, ca.key)
  }
  let server = await readPair(files.cert, files.key)
  if (!server || !fits(server.cert, ca.cert, hosts, now)) {
    server = createServerCertificate(ca, hosts, now)
    await writePair(files.cert, server.cert, files.key, server.key)
  }
  return { key: server.key, cert: server.cert, caCert: ca.cert }
}

interface Pair { cert: string, key: string }

function keyPair () {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  })
  return { publicKey: forge.pki.publicKeyFromPem(publicKey), privateKey, signingKey: forge.pki.privateKeyFromPem(privateKey) }
}

function certificate (publicKey: forge.pki.PublicKey, notBefore: Date, days: number) {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  // A positive serial number of 64 random bits (RFC 5280 §4.1.2.2).
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`
  cert.validity.notBefore = new Date(notBefore.getTime() - 60_000)
  cert.validity.notAfter = new Date(notBefore.getTime() + days * DAY_MS)
  return cert
}

function createCa (now: Date): Pair {
  const keys = keyPair()
  const cert = certificate(keys.publicKey, now, 3650)
  cert.setSubject(CA_NAME)
  cert.setIssuer(CA_NAME)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' }
  ])
  cert.sign(keys.signingKey, forge.md.sha256.create())
  return { cert: forge.pki.certificateToPem(cert), key: keys.privateKey }
}

function createServerCertificate (ca: Pair, hosts: readonly string[], now: Date): Pair {
  const caCert = forge.pki.certificateFromPem(ca.cert)
  const keys = keyPair()
  const cert = certificate(keys.publicKey, now, SERVER_DAYS)
  cert.setSubject([{ name: 'commonName', value: hosts.find((h) => isIP(h) === 0) ?? hosts[0]! }])
  cert.setIssuer(caCert.subject.attributes)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // 2: a DNS name, 7: an IP address (RFC 5280 §4.2.1.6's GeneralName choices).
    { name: 'subjectAltName', altNames: hosts.map((h) => isIP(h) === 0 ? { type: 2, value: h } : { type: 7, ip: h }) },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() }
  ])
  cert.sign(forge.pki.privateKeyFromPem(ca.key), forge.md.sha256.create())
  return { cert: forge.pki.certificateToPem(cert), key: keys.privateKey }
}

/** A kept server certificate still serves: signed by this CA, naming every host, and not near its end. */
function fits (certPem: string, caPem: string, hosts: readonly string[], now: Date): boolean {
  try {
    const cert = forge.pki.certificateFromPem(certPem)
    if (!forge.pki.certificateFromPem(caPem).verify(cert)) return false
    if (cert.validity.notAfter.getTime() - now.getTime() < RENEW_DAYS * DAY_MS) return false
    const names = (cert.getExtension('subjectAltName') as { altNames?: Array<{ value?: string, ip?: string }> } | null)?.altNames ?? []
    return hosts.every((h) => names.some((n) => n.value === h || n.ip === h))
  } catch {
    return false
  }
}

async function readPair (certFile: string, keyFile: string): Promise<Pair | undefined> {
  try {
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') }
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw error
  }
}

async function writePair (certFile: string, cert: string, keyFile: string, key: string): Promise<void> {
  await writeFile(keyFile, key, { mode: 0o600 })
  await writeFile(certFile, cert)
}

/** What TLS=on serves: the user's own certificate when configured, else the development CA's. */
export async function serverTls (config: { TLS_DIR: string, TLS_CERT_FILE: string, TLS_KEY_FILE: string, PUBLIC_BASE_URL: string }): Promise<TlsMaterial> {
  if (config.TLS_CERT_FILE) {
    return { cert: await readFile(config.TLS_CERT_FILE, 'utf8'), key: await readFile(config.TLS_KEY_FILE, 'utf8'), caCert: undefined }
  }
  return devCertificates(config.TLS_DIR, serverHosts(config.PUBLIC_BASE_URL))
}
