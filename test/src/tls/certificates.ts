import { generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

/** A key pair for test certificates, and its private key as PKCS #8 PEM (a Secret's `tls.key`). */
export interface TestKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyPem: string;
}

/** A new key: RSA of the given size, or ECDSA on the given named curve. */
export function createTestKey(
  spec: { rsa: number } | { ec: 'prime256v1' | 'secp384r1' | 'secp521r1' },
): TestKey {
  const { privateKey, publicKey } =
    'rsa' in spec
      ? generateKeyPairSync('rsa', { modulusLength: spec.rsa })
      : generateKeyPairSync('ec', { namedCurve: spec.ec });
  return {
    privateKey,
    publicKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export interface TestCertificateOptions {
  /** The subject's common name; `''` for an empty subject. */
  commonName: string;
  /** The key the certificate is for. */
  key: TestKey;
  /** The issuer and its key; the certificate is self-signed when absent. */
  issuer?: { commonName: string; key: TestKey };
  /** `sha256` by default; `sha1` for a weak signature. */
  hash?: 'sha1' | 'sha256' | 'sha384';
  notBefore: Date;
  notAfter: Date;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Basic constraints `CA:TRUE`. */
  ca?: boolean;
  /** Hexadecimal serial number; random when absent. */
  serialNumber?: string;
}

const SIGNATURE_OIDS: Record<string, Record<string, string>> = {
  rsa: {
    sha1: '1.2.840.113549.1.1.5',
    sha256: '1.2.840.113549.1.1.11',
    sha384: '1.2.840.113549.1.1.12',
  },
  ec: {
    sha1: '1.2.840.10045.4.1',
    sha256: '1.2.840.10045.4.3.2',
    sha384: '1.2.840.10045.4.3.3',
  },
};

const { asn1 } = forge;

function derOf(object: forge.asn1.Asn1): Buffer {
  return Buffer.from(asn1.toDer(object).getBytes(), 'binary');
}

function asn1Of(der: Buffer): forge.asn1.Asn1 {
  return asn1.fromDer(der.toString('binary'));
}

/**
 * A PEM certificate for any RSA or ECDSA key, signed with SHA-1 or SHA-2. node-forge builds the
 * to-be-signed structure (it knows only RSA keys, so the subject's key info is put in afterwards)
 * and Node signs it, which lets tests make the certificates real clusters hold: ECDSA keys, short
 * RSA keys, SHA-1 signatures, chains.
 */
export function createTestCertificate(options: TestCertificateOptions): string {
  const signer = options.issuer ?? {
    commonName: options.commonName,
    key: options.key,
  };
  const hash = options.hash ?? 'sha256';
  const signerType = signer.key.privateKey.asymmetricKeyType as string;
  const signatureOid = SIGNATURE_OIDS[signerType]?.[hash];
  if (!signatureOid) {
    throw new Error(`cannot sign with a ${signerType} key and ${hash}`);
  }

  const cert = forge.pki.createCertificate();
  // A placeholder of the right type for node-forge; the real key info replaces it below.
  cert.publicKey = forge.pki.setRsaPublicKey(
    new forge.jsbn.BigInteger('3', 16),
    new forge.jsbn.BigInteger('3', 16),
  );
  cert.serialNumber =
    options.serialNumber ?? `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  // An empty common name makes an empty subject, as cert-manager issues leaves with only SANs.
  cert.setSubject(
    options.commonName === ''
      ? []
      : [{ name: 'commonName', value: options.commonName }],
  );
  cert.setIssuer([{ name: 'commonName', value: signer.commonName }]);
  const altNames = [
    ...(options.dnsNames ?? []).map(value => ({ type: 2, value })),
    ...(options.ipAddresses ?? []).map(ip => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: options.ca ?? false, critical: true },
    ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  (
    cert as unknown as { siginfo: { algorithmOid: string } }
  ).siginfo.algorithmOid = signatureOid;

  // ECDSA algorithm identifiers have no parameters; RSA ones have NULL (RFC 5758, RFC 4055).
  const algorithm = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    [
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.OID,
        false,
        asn1.oidToDer(signatureOid).getBytes(),
      ),
      ...(signerType === 'rsa'
        ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]
        : []),
    ],
  );
  // node-forge has this function, but its type definitions leave it out.
  const { getTBSCertificate } = forge.pki as unknown as {
    getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1;
  };
  const tbs = getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  // version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, ...
  fields[2] = asn1Of(derOf(algorithm));
  fields[6] = asn1Of(
    options.key.publicKey.export({
      type: 'spki',
      format: 'der',
    }),
  );
  const tbsDer = derOf(tbs);
  const signature = sign(hash, tbsDer, signer.key.privateKey);
  const certificate = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    [
      asn1Of(tbsDer),
      algorithm,
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.BITSTRING,
        false,
        `\u0000${signature.toString('binary')}`,
      ),
    ],
  );
  const body = derOf(certificate).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * A `kubernetes.io/tls` Secret holding the certificate chain (leaf first) and the key, as
 * cert-manager writes it.
 */
export function tlsSecret(options: {
  namespace: string;
  name: string;
  chainPem: string;
  keyPem: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      namespace: options.namespace,
      name: options.name,
      labels: options.labels ?? {},
      annotations: options.annotations ?? {},
    },
    data: {
      'tls.crt': Buffer.from(options.chainPem).toString('base64'),
      'tls.key': Buffer.from(options.keyPem).toString('base64'),
    },
  };
}
