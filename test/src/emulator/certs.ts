import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair {
  keyPem: string;
  certPem: string;
}

/** RSA keys and signatures come from Node's crypto (native); node-forge only builds the certificates. */
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
    publicKey: forge.pki.publicKeyFromPem(publicPem),
  };
}

/**
 * Signs a certificate with SHA-256 and RSA through Node's crypto: node-forge's own RSA runs in
 * JavaScript and takes seconds per signature under Jest, where tests rotate certificates.
 */
function signWith(cert: forge.pki.Certificate, keyPem: string) {
  const oid = forge.pki.oids.sha256WithRSAEncryption;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  const tbs = (
    forge.pki as unknown as {
      getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1;
    }
  ).getTBSCertificate(cert);
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = sign('sha256', der, keyPem).toString('binary');
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
  signWith(cert, keys.keyPem);
  const keyIdentifier = cert.generateSubjectKeyIdentifier().getBytes();
  return {
    keyPem: keys.keyPem,
    certPem: forge.pki.certificateToPem(cert),
    sign: leaf => {
      leaf.setIssuer(cert.subject.attributes);
      // Every CA has the same name, as a renewed cluster CA keeps its name: the key identifier
      // tells a client that trusts the old and the new CA during a rotation which one signed.
      leaf.setExtensions([
        ...leaf.extensions,
        { name: 'authorityKeyIdentifier', keyIdentifier },
      ]);
      signWith(leaf, keys.keyPem);
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
 * One CA and serving certificate per process: making RSA keys takes a noticeable moment, and tests
 * start many emulators. Rotation still makes a new serving certificate (and CA, when asked).
 */
export function sharedCertificates() {
  if (!shared) {
    const ca = createCa();
    shared = { ca, serving: createServingCertificate(ca) };
  }
  return shared;
}
