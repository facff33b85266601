import { X509Certificate } from 'node:crypto';
import { X509Fact } from '../database/types';

/** The outcome of parsing a `tls.crt`: its chain, or why there is none. */
export type ParsedChain =
  | { chain: X509Fact[]; parseError?: undefined }
  | { chain: []; parseError: string };

const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/**
 * Parses a PEM bundle (a TLS Secret's `tls.crt`) into its certificates, in the order they appear.
 *
 * Only `CERTIFICATE` blocks are read: anything else in the bundle, a private key pasted in by
 * mistake included, is skipped and never copied into the result or into an error message. A
 * bundle that is empty, holds no certificate or holds one that cannot be parsed gives no chain
 * and the reason, so that one bad Secret is a finding rather than a failed collection.
 */
export function parseCertificateChain(pem: string): ParsedChain {
  if (pem.trim() === '') {
    return { chain: [], parseError: 'tls.crt is empty' };
  }
  const blocks = [...pem.matchAll(PEM_CERTIFICATE)].map(m => m[1]);
  if (blocks.length === 0) {
    return {
      chain: [],
      parseError: 'tls.crt holds no PEM-encoded certificate',
    };
  }
  const chain: X509Fact[] = [];
  for (const [index, body] of blocks.entries()) {
    const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(der);
    } catch {
      // OpenSSL's message says nothing a reader can act on; the position does.
      return {
        chain: [],
        parseError: `certificate ${index + 1} of ${
          blocks.length
        } in tls.crt is not a valid X.509 certificate`,
      };
    }
    try {
      chain.push(x509Fact(certificate, der));
    } catch (error) {
      // One odd field must make this Secret a finding, not fail the collection of every Secret.
      return {
        chain: [],
        parseError: `certificate ${index + 1} of ${
          blocks.length
        } in tls.crt could not be read: ${(error as Error).message}`,
      };
    }
  }
  return { chain };
}

/** Curves by the name Node reports, with their size in bits. */
const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  prime192v1: 192,
  secp224r1: 224,
};

/** The size of keys whose algorithm fixes it. */
const FIXED_KEY_BITS: Record<string, number> = { ed25519: 256, ed448: 448 };

function keyOf(certificate: X509Certificate): {
  keyType?: string;
  keySize?: number;
  curve?: string;
} {
  try {
    const key = certificate.publicKey;
    const keyType = key.asymmetricKeyType;
    const details = key.asymmetricKeyDetails ?? {};
    if (details.modulusLength !== undefined) {
      return { keyType, keySize: details.modulusLength };
    }
    if (details.namedCurve !== undefined) {
      return {
        keyType,
        keySize: CURVE_BITS[details.namedCurve],
        curve: details.namedCurve,
      };
    }
    return { keyType, keySize: keyType ? FIXED_KEY_BITS[keyType] : undefined };
  } catch {
    // A key algorithm OpenSSL cannot load: the certificate is still worth reporting.
    return {};
  }
}

function isSelfSigned(certificate: X509Certificate): boolean {
  try {
    return (
      certificate.checkIssued(certificate) &&
      certificate.verify(certificate.publicKey)
    );
  } catch {
    return false;
  }
}

/** Splits Node's `subjectAltName` (`DNS:a, DNS:"b\u002c", IP Address:10.0.0.1`) into its names. */
export function parseSubjectAltName(text: string | undefined): {
  dnsNames: string[];
  ipAddresses: string[];
} {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  // Node JSON-quotes a value that holds a comma, quote or other ambiguous character.
  const entry = /([^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/y;
  let match: RegExpExecArray | null;
  while (text && entry.lastIndex < text.length) {
    match = entry.exec(text);
    if (!match) {
      break;
    }
    const [, type, raw] = match;
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    if (type === 'DNS') {
      dnsNames.push(value);
    } else if (type === 'IP Address') {
      ipAddresses.push(value);
    }
  }
  return { dnsNames, ipAddresses };
}

/**
 * Node prints a distinguished name one attribute a line; the API shows it on one line. An empty
 * name (cert-manager issues leaves with only SANs and no subject) is undefined in Node.
 */
function oneLine(name: string | undefined): string {
  return (name ?? '').split('\n').filter(Boolean).join(', ');
}

function x509Fact(certificate: X509Certificate, der: Buffer): X509Fact {
  const fingerprint = certificate.fingerprint256.toUpperCase();
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    serialNumber: certificate.serialNumber.toUpperCase(),
    ...parseSubjectAltName(certificate.subjectAltName),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    ...keyOf(certificate),
    signatureAlgorithm: signatureAlgorithmOf(der),
    selfSigned: isSelfSigned(certificate),
    isCa: certificate.ca,
    fingerprintSha256: fingerprint,
  };
}

/** OpenSSL's names of the signature algorithms a TLS certificate may carry, by OID. */
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa_with_SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** One DER element: its tag, and where its contents start and end in the buffer. */
interface DerElement {
  tag: number;
  start: number;
  end: number;
}

/** Reads the DER element at `offset`; undefined when the bytes are not one. */
export function readDerElement(
  der: Uint8Array,
  offset: number,
): DerElement | undefined {
  if (offset + 2 > der.length) {
    return undefined;
  }
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    // Long form: the low bits count the length bytes that follow. DER forbids the indefinite
    // form (0x80), and no certificate needs more than four length bytes.
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > der.length) {
      return undefined;
    }
    length = 0;
    for (let i = 0; i < count; i++) {
      length = length * 256 + der[start + i];
    }
    start += count;
  }
  const end = start + length;
  return end <= der.length ? { tag, start, end } : undefined;
}

/** The dotted form of a DER-encoded OBJECT IDENTIFIER's contents. */
export function decodeOid(contents: Uint8Array): string | undefined {
  if (contents.length === 0) {
    return undefined;
  }
  const arcs: number[] = [];
  let value = 0;
  for (const byte of contents) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  if (contents[contents.length - 1] & 0x80) {
    return undefined;
  }
  // The first sub-identifier packs the first two arcs: 40 * first + second.
  const first = arcs[0] < 80 ? Math.floor(arcs[0] / 40) : 2;
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}

const SEQUENCE = 0x30;
const OBJECT_IDENTIFIER = 0x06;

/**
 * The signature algorithm of a DER certificate, from the outer `signatureAlgorithm` of
 * `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`. Node 22's
 * `X509Certificate` has no getter for it (nor does `toLegacyObject()`), so it is read here.
 * OpenSSL's name when known, else the dotted OID; undefined when the DER is not a certificate.
 */
export function signatureAlgorithmOf(der: Uint8Array): string | undefined {
  const certificate = readDerElement(der, 0);
  if (certificate?.tag !== SEQUENCE) {
    return undefined;
  }
  const tbs = readDerElement(der, certificate.start);
  if (tbs?.tag !== SEQUENCE) {
    return undefined;
  }
  const algorithm = readDerElement(der, tbs.end);
  if (algorithm?.tag !== SEQUENCE || algorithm.end > certificate.end) {
    return undefined;
  }
  const oid = readDerElement(der, algorithm.start);
  if (oid?.tag !== OBJECT_IDENTIFIER || oid.end > algorithm.end) {
    return undefined;
  }
  const dotted = decodeOid(der.subarray(oid.start, oid.end));
  return dotted && (SIGNATURE_ALGORITHMS[dotted] ?? dotted);
}
