import { X509Certificate } from 'node:crypto';
import {
  createTestCertificate,
  createTestKey,
} from '@internal/resilience-test';
import {
  decodeOid,
  parseCertificateChain,
  parseSubjectAltName,
  readDerElement,
  signatureAlgorithmOf,
} from './x509';

const notBefore = new Date('2026-11-01T00:00:00Z');
const notAfter = new Date('2027-01-30T00:00:00Z');

// Keys are made once: RSA key generation is the slow part.
const caKey = createTestKey({ ec: 'secp384r1' });
const ecKey = createTestKey({ ec: 'prime256v1' });
const rsa1024 = createTestKey({ rsa: 1024 });
const rsa2048 = createTestKey({ rsa: 2048 });

const caPem = createTestCertificate({
  commonName: 'payments-ca',
  key: caKey,
  ca: true,
  hash: 'sha384',
  notBefore,
  notAfter: new Date('2031-01-01T00:00:00Z'),
  serialNumber: '0a1b2c',
});
const leafPem = createTestCertificate({
  commonName: 'payments.example.com',
  key: ecKey,
  issuer: { commonName: 'payments-ca', key: caKey },
  dnsNames: ['payments.example.com', 'api.payments.example.com'],
  ipAddresses: ['10.0.0.7'],
  notBefore,
  notAfter,
  serialNumber: '01ff',
});
const weakPem = createTestCertificate({
  commonName: 'legacy.example.com',
  key: rsa1024,
  hash: 'sha1',
  notBefore,
  notAfter,
});

describe('parseCertificateChain', () => {
  it('parses a leaf and its CA in order, with every field', () => {
    const { chain, parseError } = parseCertificateChain(`${leafPem}\n${caPem}`);
    expect(parseError).toBeUndefined();
    expect(chain).toEqual([
      {
        subject: 'CN=payments.example.com',
        issuer: 'CN=payments-ca',
        serialNumber: '01FF',
        dnsNames: ['payments.example.com', 'api.payments.example.com'],
        ipAddresses: ['10.0.0.7'],
        notBefore,
        notAfter,
        keyType: 'ec',
        keySize: 256,
        curve: 'prime256v1',
        signatureAlgorithm: 'ecdsa-with-SHA256',
        selfSigned: false,
        isCa: false,
        fingerprintSha256: new X509Certificate(leafPem).fingerprint256,
      },
      {
        subject: 'CN=payments-ca',
        issuer: 'CN=payments-ca',
        serialNumber: '0A1B2C',
        dnsNames: [],
        ipAddresses: [],
        notBefore,
        notAfter: new Date('2031-01-01T00:00:00Z'),
        keyType: 'ec',
        keySize: 384,
        curve: 'secp384r1',
        signatureAlgorithm: 'ecdsa-with-SHA384',
        selfSigned: true,
        isCa: true,
        fingerprintSha256: new X509Certificate(caPem).fingerprint256,
      },
    ]);
    expect(chain[0].fingerprintSha256).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
  });

  it.each([
    [
      'an RSA 1024 key signed with SHA-1',
      weakPem,
      'rsa',
      1024,
      'sha1WithRSAEncryption',
    ],
    [
      'an RSA 2048 key signed with SHA-256',
      createTestCertificate({
        commonName: 'rsa.example.com',
        key: rsa2048,
        notBefore,
        notAfter,
      }),
      'rsa',
      2048,
      'sha256WithRSAEncryption',
    ],
    [
      'an EC key signed with ECDSA and SHA-1',
      createTestCertificate({
        commonName: 'ec.example.com',
        key: ecKey,
        hash: 'sha1',
        notBefore,
        notAfter,
      }),
      'ec',
      256,
      'ecdsa-with-SHA1',
    ],
  ])('reads %s', (_, pem, keyType, keySize, signatureAlgorithm) => {
    const { chain } = parseCertificateChain(pem);
    expect(chain).toHaveLength(1);
    expect(chain[0]).toMatchObject({
      keyType,
      keySize,
      signatureAlgorithm,
      selfSigned: true,
      isCa: false,
    });
  });

  it('calls a certificate that names itself as issuer but is signed by another key not self-signed', () => {
    const forged = createTestCertificate({
      commonName: 'payments-ca',
      key: ecKey,
      issuer: { commonName: 'payments-ca', key: caKey },
      notBefore,
      notAfter,
    });
    expect(parseCertificateChain(forged).chain[0].selfSigned).toBe(false);
  });

  it('reads a leaf with an empty subject, as cert-manager issues them', () => {
    const { chain, parseError } = parseCertificateChain(
      createTestCertificate({
        commonName: '',
        dnsNames: ['shop.example.com'],
        key: ecKey,
        notBefore,
        notAfter,
      }),
    );
    expect(parseError).toBeUndefined();
    expect(chain[0]).toMatchObject({
      subject: '',
      dnsNames: ['shop.example.com'],
    });
  });

  it('reads only the certificates of a bundle that also holds a private key', () => {
    const { chain, parseError } = parseCertificateChain(
      `${leafPem}${ecKey.keyPem}${caPem}`,
    );
    expect(parseError).toBeUndefined();
    expect(chain.map(c => c.subject)).toEqual([
      'CN=payments.example.com',
      'CN=payments-ca',
    ]);
    expect(JSON.stringify(chain)).not.toContain(
      ecKey.keyPem.split('\n')[1].slice(0, 40),
    );
  });

  it.each([
    ['an empty tls.crt', '', 'tls.crt is empty'],
    ['blank lines', '\n \n', 'tls.crt is empty'],
    [
      'garbage',
      'not a certificate',
      'tls.crt holds no PEM-encoded certificate',
    ],
    [
      'only a private key',
      ecKey.keyPem,
      'tls.crt holds no PEM-encoded certificate',
    ],
    [
      'a certificate block of garbage',
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
      'certificate 1 of 1 in tls.crt is not a valid X.509 certificate',
    ],
    [
      'a good leaf followed by a truncated certificate',
      `${leafPem}${caPem.slice(0, 200)}\n-----END CERTIFICATE-----\n`,
      'certificate 2 of 2 in tls.crt is not a valid X.509 certificate',
    ],
  ])('gives no chain and the reason for %s', (_, pem, reason) => {
    expect(parseCertificateChain(pem)).toEqual({
      chain: [],
      parseError: reason,
    });
  });
});

describe('parseSubjectAltName', () => {
  it.each([
    [undefined, [], []],
    ['DNS:a.example', ['a.example'], []],
    [
      'DNS:a.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1, URI:https://x, email:a@b',
      ['a.example'],
      ['10.0.0.1', '0:0:0:0:0:0:0:1'],
    ],
    // Node JSON-quotes values with commas, so that they cannot be mistaken for separators.
    [
      'DNS:"x\\u002c DNS:y.example", DNS:z.example',
      ['x, DNS:y.example', 'z.example'],
      [],
    ],
  ])('splits %j', (text, dnsNames, ipAddresses) => {
    expect(parseSubjectAltName(text)).toEqual({ dnsNames, ipAddresses });
  });
});

describe('the DER reader', () => {
  it.each([
    // 1.2.840.113549.1.1.11: sha256WithRSAEncryption.
    [
      [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
      '1.2.840.113549.1.1.11',
    ],
    // 2.16.840.1.101.3.4.3.2: the first byte packs 2 and 16 as 2 * 40 + 16.
    [
      [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x02],
      '2.16.840.1.101.3.4.3.2',
    ],
    [[0x2b, 0x65, 0x70], '1.3.101.112'],
    [[], undefined],
    // The last byte must end a sub-identifier.
    [[0x2a, 0x86], undefined],
  ])('decodes the OID %j', (bytes, dotted) => {
    expect(decodeOid(Uint8Array.from(bytes))).toBe(dotted);
  });

  it.each([
    ['short form', [0x30, 0x03, 1, 2, 3], { tag: 0x30, start: 2, end: 5 }],
    ['long form', [0x04, 0x81, 0x02, 9, 9], { tag: 0x04, start: 3, end: 5 }],
    ['a length past the end', [0x30, 0x05, 1], undefined],
    ['the indefinite form, which DER forbids', [0x30, 0x80, 0, 0], undefined],
    ['a lone tag', [0x30], undefined],
  ])('reads an element in %s', (_, bytes, element) => {
    expect(readDerElement(Uint8Array.from(bytes), 0)).toEqual(element);
  });

  it('reads the outer signature algorithm, and nothing from bytes that are not a certificate', () => {
    const der = new X509Certificate(weakPem).raw;
    expect(signatureAlgorithmOf(der)).toBe('sha1WithRSAEncryption');
    expect(signatureAlgorithmOf(der.subarray(0, 40))).toBeUndefined();
    expect(signatureAlgorithmOf(Buffer.from('garbage'))).toBeUndefined();
    expect(signatureAlgorithmOf(new Uint8Array())).toBeUndefined();
  });
});
