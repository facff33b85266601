import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair {
  keyPem: string;
  certPem: string;
}

/** RSA keys come from Node's crypto (fast, native); node-forge only builds the certificates. */
function rsaKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicPem = publicKey
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return {
    keyPem,
    privateKey: forge.pki.privateKeyFromPem(keyPem),
    publicKey: forge.pki.publicKeyFromPem(publicPem),
  };
}

function newCertificate(
  publicKey: forge.pki.PublicKey,
  commonName: string,
  days: number,
) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: the top bit of the first byte must be clear.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  return cert;
}

/** A self-signed certificate authority, new for every emulator. */
export function createCa(): KeyPair & {
  sign(cert: forge.pki.Certificate): void;
} {
  const keys = rsaKeys();
  const cert = newCertificate(keys.publicKey, 'resilience-emulator-ca', 30);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    {
      name: 'keyUsage',
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: true,
      critical: true,
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    keyPem: keys.keyPem,
    certPem: forge.pki.certificateToPem(cert),
    sign: leaf => {
      leaf.setIssuer(cert.subject.attributes);
      leaf.sign(keys.privateKey, forge.md.sha256.create());
    },
  };
}

/** A serving certificate for the loopback addresses and localhost, signed by the CA. */
export function createServingCertificate(
  ca: ReturnType<typeof createCa>,
): KeyPair {
  const keys = rsaKeys();
  const cert = newCertificate(keys.publicKey, 'kube-apiserver', 7);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      critical: true,
    },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
  ca.sign(cert);
  return { keyPem: keys.keyPem, certPem: forge.pki.certificateToPem(cert) };
}

let shared: { ca: ReturnType<typeof createCa>; serving: KeyPair } | undefined;

/**
 * One CA and serving certificate per process: node-forge signs in JavaScript, which takes
 * seconds, and tests start many emulators. Rotation still makes a new serving certificate.
 */
export function sharedCertificates() {
  if (!shared) {
    const ca = createCa();
    shared = { ca, serving: createServingCertificate(ca) };
  }
  return shared;
}
