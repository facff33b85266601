/*
 * X.509 material for the emulated cert-manager: key pairs, certificate authorities, leaf
 * certificates and certificate signing requests.
 *
 * `@peculiar/x509` builds the ASN.1 and hands every key operation to Node's native WebCrypto,
 * so it makes RSA and ECDSA keys and signs in C, asynchronously and off the event loop: a demo's
 * twenty certificates take a few hundred milliseconds. node-forge (used for the serving
 * certificate in `certs.ts`) signs in JavaScript and knows no ECDSA.
 */
import {
  createPrivateKey,
  createPublicKey,
  KeyObject,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import * as x509 from '@peculiar/x509';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

/** The private key a Certificate asks for (`spec.privateKey`), with cert-manager's defaults. */
export interface KeySpec {
  /** `RSA` (the default) or `ECDSA`. */
  algorithm?: string;
  /** Bits: 2048 by default for RSA; 256 (P-256), 384 or 521 for ECDSA. */
  size?: number;
  /** `PKCS1` (the default: PKCS#1 for RSA, SEC 1 for ECDSA) or `PKCS8`. */
  encoding?: string;
}

/** A key pair usable for signing, with its private key as PEM in the encoding asked for. */
export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The private key as the Secret's `tls.key` holds it. */
  keyPem: string;
  /** `RSA` or `ECDSA`. */
  algorithm: 'RSA' | 'ECDSA';
  /** The modulus length, or the curve's size. */
  size: number;
}

/** A certificate authority: its certificate and a key pair to sign with. */
export interface CertificateAuthority {
  certificate: x509.X509Certificate;
  certPem: string;
  keys: KeyPair;
}

const CURVES: Record<number, string> = {
  256: 'P-256',
  384: 'P-384',
  521: 'P-521',
};
const EC_HASHES: Record<string, string> = {
  'P-256': 'SHA-256',
  'P-384': 'SHA-384',
  'P-521': 'SHA-512',
};

/**
 * The WebCrypto parameters of a key spec; throws, as cert-manager's webhook would refuse it,
 * for an algorithm or size it cannot make.
 */
export function keyAlgorithm(
  spec: KeySpec,
): RsaHashedImportParams | EcKeyImportParams {
  const algorithm = (spec.algorithm ?? 'RSA').toUpperCase();
  if (algorithm === 'RSA') {
    // RSASSA binds its hash at import; SHA-256 unless a weak signature is asked for.
    return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
  if (algorithm === 'ECDSA') {
    const curve = CURVES[spec.size ?? 256];
    if (!curve) {
      throw new Error(`ECDSA keys are 256, 384 or 521 bits, not ${spec.size}`);
    }
    return { name: 'ECDSA', namedCurve: curve };
  }
  throw new Error(
    `the emulator makes RSA and ECDSA keys, not ${spec.algorithm}`,
  );
}

function pemOf(key: KeyObject, spec: KeySpec): string {
  const pkcs8 = (spec.encoding ?? 'PKCS1').toUpperCase() === 'PKCS8';
  let type: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8';
  if (!pkcs8) type = key.asymmetricKeyType === 'rsa' ? 'pkcs1' : 'sec1';
  return key.export({ type, format: 'pem' }).toString();
}

function describe(publicKey: KeyObject): Pick<KeyPair, 'algorithm' | 'size'> {
  const details = publicKey.asymmetricKeyDetails ?? {};
  if (publicKey.asymmetricKeyType === 'rsa') {
    return { algorithm: 'RSA', size: details.modulusLength ?? 0 };
  }
  const sizes: Record<string, number> = {
    prime256v1: 256,
    secp384r1: 384,
    secp521r1: 521,
  };
  return { algorithm: 'ECDSA', size: sizes[details.namedCurve ?? ''] ?? 0 };
}

/** Makes a new key pair as a Certificate's `spec.privateKey` asks. */
export async function generateKeyPair(spec: KeySpec): Promise<KeyPair> {
  const algorithm = keyAlgorithm(spec);
  const params =
    algorithm.name === 'ECDSA'
      ? algorithm
      : {
          ...algorithm,
          modulusLength: spec.size ?? 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
        };
  const pair = (await crypto.subtle.generateKey(params, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const der = await crypto.subtle.exportKey('pkcs8', pair.privateKey);
  const privateKey = createPrivateKey({
    key: Buffer.from(der),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    keyPem: pemOf(privateKey, spec),
    ...describe(createPublicKey(privateKey)),
  };
}

/** Reads a key pair back from the PEM of a Secret's `tls.key` (any encoding Node reads). */
export async function importKeyPair(
  keyPem: string,
  spec: KeySpec = {},
): Promise<KeyPair> {
  const privateKey = createPrivateKey(keyPem);
  const publicKey = createPublicKey(privateKey);
  const described = describe(publicKey);
  const algorithm = keyAlgorithm({
    algorithm: described.algorithm,
    size: described.size,
  });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey: await crypto.subtle.importKey('pkcs8', der, algorithm, true, [
      'sign',
    ]),
    publicKey: await crypto.subtle.importKey('spki', spki, algorithm, true, [
      'verify',
    ]),
    keyPem: pemOf(privateKey, spec),
    ...described,
  };
}

/**
 * The signing key and algorithm for a signer: SHA-256 (or the curve's own hash) normally,
 * SHA-1 when `weak` (RSA signers only: that is the weakness the scanners look for).
 */
async function signingOf(
  keys: KeyPair,
  weak: boolean,
): Promise<{ key: CryptoKey; algorithm: Algorithm | EcdsaParams }> {
  if (keys.algorithm === 'ECDSA') {
    const curve = (keys.privateKey.algorithm as EcKeyAlgorithm).namedCurve;
    return {
      key: keys.privateKey,
      algorithm: { name: 'ECDSA', hash: weak ? 'SHA-1' : EC_HASHES[curve] },
    } as { key: CryptoKey; algorithm: EcdsaParams };
  }
  if (!weak) {
    return {
      key: keys.privateKey,
      algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm,
    };
  }
  const der = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' };
  return {
    key: await crypto.subtle.importKey('pkcs8', der, algorithm, false, [
      'sign',
    ]),
    algorithm: algorithm as Algorithm,
  };
}

/** A positive serial number of 128 random bits, as hex. */
const serialNumber = () => `01${randomBytes(15).toString('hex')}`;

/** Escapes a value for a distinguished name string. */
const dn = (commonName: string) =>
  `CN=${commonName.replace(/([,+"\\<>;=])/g, '\\$1')}`;

/**
 * A new self-signed certificate authority with an RSA 2048 key (RSA, so that it can also make
 * the SHA-1 signatures of the weak-material scenario), valid from five years ago for ten years.
 */
export async function createCertificateAuthority(
  commonName: string,
): Promise<CertificateAuthority> {
  const keys = await generateKeyPair({ algorithm: 'RSA', size: 2048 });
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: dn(commonName),
    notBefore: new Date(now - 5 * 365 * 86_400_000),
    notAfter: new Date(now + 5 * 365 * 86_400_000),
    keys: { privateKey: keys.privateKey, publicKey: keys.publicKey },
    signingAlgorithm: (await signingOf(keys, false)).algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, certPem: certificate.toString('pem'), keys };
}

/** What a leaf certificate says. */
export interface LeafRequest {
  commonName?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  notBefore: Date;
  notAfter: Date;
  /** The subject's key pair. */
  keys: KeyPair;
  /** The CA that signs; the certificate signs itself when absent. */
  ca?: CertificateAuthority;
  /** Sign with SHA-1 instead of SHA-256. */
  weakSignature?: boolean;
}

function subjectAltNames(request: LeafRequest): x509.JsonGeneralName[] {
  return [
    ...(request.dnsNames ?? []).map(value => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map(value => ({
      type: 'ip' as const,
      value,
    })),
    ...(request.uris ?? []).map(value => ({ type: 'url' as const, value })),
  ];
}

/**
 * Issues a leaf certificate the way cert-manager's CA and SelfSigned issuers do: subject CN
 * only when a common name is asked for (the SAN extension is then critical, RFC 5280 4.2.1.6),
 * digital signature and (for RSA) key encipherment, the CA's key identifier.
 */
export async function issueLeaf(request: LeafRequest): Promise<string> {
  const altNames = subjectAltNames(request);
  const signer = request.ca?.keys ?? request.keys;
  const signing = await signingOf(signer, Boolean(request.weakSignature));
  const subject = request.commonName ? dn(request.commonName) : '';
  const usages =
    x509.KeyUsageFlags.digitalSignature |
    (request.keys.algorithm === 'RSA' ? x509.KeyUsageFlags.keyEncipherment : 0);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
  ];
  if (altNames.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(altNames, !subject),
    );
  }
  if (request.ca) {
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(
        request.ca.keys.publicKey,
      ),
    );
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: request.ca ? request.ca.certificate.subject : subject,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    publicKey: request.keys.publicKey,
    signingKey: signing.key,
    signingAlgorithm: signing.algorithm,
    extensions,
  });
  return certificate.toString('pem');
}

/** A PKCS#10 request for the leaf, as cert-manager puts in a CertificateRequest's `spec.request`. */
export async function createCsr(
  request: Pick<
    LeafRequest,
    'commonName' | 'dnsNames' | 'ipAddresses' | 'uris' | 'keys'
  >,
): Promise<string> {
  const altNames = subjectAltNames(request as LeafRequest);
  const signing = await signingOf(request.keys, false);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: request.commonName ? dn(request.commonName) : '',
    keys: {
      privateKey: signing.key,
      publicKey: request.keys.publicKey,
    },
    signingAlgorithm: signing.algorithm,
    extensions:
      altNames.length > 0
        ? [new x509.SubjectAlternativeNameExtension(altNames)]
        : [],
  });
  return csr.toString('pem');
}
