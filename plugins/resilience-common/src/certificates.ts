import type { CheckState } from './types';

/**
 * One X.509 certificate of a TLS Secret's `tls.crt`, as parsed by the backend.
 *
 * @public
 */
export interface X509Summary {
  /** The subject's distinguished name, for example `CN=payments.example.com`. */
  subject: string;
  /** The issuer's distinguished name. */
  issuer: string;
  /** The serial number, upper-case hexadecimal. */
  serialNumber: string;
  /** DNS names of the subject alternative name extension. */
  dnsNames: string[];
  /** IP addresses of the subject alternative name extension. */
  ipAddresses: string[];
  /** ISO 8601 start of validity. */
  notBefore: string;
  /** ISO 8601 end of validity. */
  notAfter: string;
  /** The public key's algorithm: `rsa`, `ec`, `ed25519`, `ed448`, or another name Node reports. */
  keyType?: string;
  /** The key size in bits (the modulus for RSA, the curve's size for ECDSA). */
  keySize?: number;
  /** The named curve of an ECDSA key, for example `prime256v1`. */
  curve?: string;
  /** The signature algorithm, for example `sha256WithRSAEncryption`. */
  signatureAlgorithm?: string;
  /** Whether the certificate is signed by its own key. */
  selfSigned: boolean;
  /** Whether it is a certificate authority (basic constraints `CA:TRUE`). */
  isCa: boolean;
  /** SHA-256 fingerprint, upper-case hexadecimal pairs separated by colons. */
  fingerprintSha256: string;
}

/**
 * The ids of the certificate checks, stable across releases, in the order they are returned.
 *
 * - `certificate.expiry`: the days left until `notAfter` are above the policy's warning (28 days
 *   by default: warn below) and failure (14 days: fail below) thresholds;
 * - `certificate.ready`: cert-manager reports the Certificate `Ready=True`;
 * - `certificate.renewal-scheduled`: a renewal time is set (or computed as cert-manager does),
 *   in the future and before `notAfter`;
 * - `certificate.issuance-failures`: cert-manager reports no failed issuance attempts;
 * - `certificate.key-rotation`: the private key is replaced at every renewal
 *   (`privateKey.rotationPolicy: Always`);
 * - `certificate.lifetime`: the certificate's lifetime is at most the policy maximum (90 days by
 *   default);
 * - `certificate.key-strength`: RSA keys of at least 2048 bits or ECDSA keys on P-256 or larger,
 *   and no SHA-1 (or MD5) signatures in the chain;
 * - `certificate.secret-in-sync`: the Secret holds the certificate the Certificate's status
 *   reports (the same `notAfter`); otherwise the rotation is stuck;
 * - `certificate.managed`: every TLS Secret is managed by a Certificate; others are rotated by
 *   hand.
 *
 * @public
 */
export const CERTIFICATE_CHECK_IDS = [
  'certificate.expiry',
  'certificate.ready',
  'certificate.renewal-scheduled',
  'certificate.issuance-failures',
  'certificate.key-rotation',
  'certificate.lifetime',
  'certificate.key-strength',
  'certificate.secret-in-sync',
  'certificate.managed',
] as const;

/**
 * One of {@link CERTIFICATE_CHECK_IDS}.
 *
 * @public
 */
export type CertificateCheckId = (typeof CERTIFICATE_CHECK_IDS)[number];

/**
 * The certificate policy an entity is held to, from its tier.
 *
 * @public
 */
export interface EffectiveCertificatePolicy {
  /** Below this many seconds before `notAfter`, `certificate.expiry` warns. */
  expiryWarningSeconds: number;
  /** Below this many seconds before `notAfter`, `certificate.expiry` fails. */
  expiryFailureSeconds: number;
  /** The longest lifetime (`notAfter` minus `notBefore`) `certificate.lifetime` accepts. */
  maxLifetimeSeconds: number;
}

/**
 * The outcome of one certificate check for one certificate.
 *
 * @public
 */
export interface CertificateCheckOutcome {
  id: CertificateCheckId;
  state: CheckState;
  /** What the outcome means for this certificate, in a sentence. */
  message: string;
}

/**
 * A renewal asked for from the portal and how far it got.
 *
 * - `in-progress`: the Certificate was marked for issuance; its new revision is not `Ready` yet;
 * - `succeeded`: a new revision is `Ready`;
 * - `failed`: cert-manager reported a failure, or no new revision became `Ready` in time.
 *
 * @public
 */
export interface CertificateRenewal {
  id: string;
  cluster: string;
  namespace: string;
  /** The Certificate's name. */
  name: string;
  /** The catalog entity the renewal was asked for on. */
  entityRef: string;
  state: 'in-progress' | 'succeeded' | 'failed';
  /** The user who asked, as an entity reference. */
  requestedBy: string;
  /** ISO 8601 time of the request. */
  requestedAt: string;
  /** ISO 8601 time the renewal finished; absent while in progress. */
  finishedAt?: string;
  /** `status.revision` before the renewal. */
  previousRevision?: number;
  /** `status.revision` of the new certificate, once issued. */
  revision?: number;
  /** ISO 8601 `status.notAfter` of the new certificate, once issued. */
  notAfter?: string;
  /** What is happening or what went wrong, in a sentence. */
  message: string;
}

/**
 * Response of `POST /api/resilience/entities/:kind/:namespace/:name/certificates/:cluster/:certificateNamespace/:certificateName/renew`
 * (202) and of `GET /api/resilience/certificate-renewals/:id`.
 *
 * @public
 */
export interface CertificateRenewalResponse {
  renewal: CertificateRenewal;
}

/**
 * A TLS certificate an entity depends on: a cert-manager Certificate with the Secret it writes,
 * or a TLS Secret that no Certificate manages.
 *
 * @public
 */
export interface CertificateSummary {
  cluster: string;
  namespace: string;
  /** The Certificate's name; the Secret's name when no Certificate manages it. */
  name: string;
  /** `cert-manager` when a Certificate manages the Secret; `hand` when nothing does. */
  managedBy: 'cert-manager' | 'hand';
  /** The Secret the certificate is stored in (`spec.secretName`). */
  secretName: string;
  /** The DNS names: the Certificate's `spec.dnsNames`, else the leaf certificate's. */
  dnsNames: string[];
  /** The issuer: the Certificate's `spec.issuerRef`, else the leaf certificate's issuer name. */
  issuer?: {
    /** `Issuer`, `ClusterIssuer`, another kind, or `X.509` for the issuer of a Secret's leaf. */
    kind: string;
    name: string;
    /** Whether the Issuer or ClusterIssuer reports `Ready=True`; absent when unknown. */
    ready?: boolean;
  };
  /** cert-manager's `Ready` condition. */
  ready?: {
    status: 'True' | 'False' | 'Unknown';
    reason?: string;
    message?: string;
  };
  /** ISO 8601 end of validity: the Certificate's `status.notAfter`, else the leaf's. */
  notAfter?: string;
  /** ISO 8601 start of validity. */
  notBefore?: string;
  /** Seconds left until `notAfter` at the time of the response; negative once expired. */
  secondsLeft?: number;
  /** ISO 8601 time of the next renewal. */
  renewalTime?: string;
  /** True when `renewalTime` was computed as cert-manager would, because the status has none. */
  renewalTimeComputed: boolean;
  /** `status.revision`. */
  revision?: number;
  /** `status.failedIssuanceAttempts`. */
  failedIssuanceAttempts?: number;
  /** `spec.privateKey.rotationPolicy`; cert-manager v1.18+ defaults to `Always`. */
  rotationPolicy?: string;
  /** ISO 8601 time the current certificate was issued (its `notBefore`), the last renewal. */
  lastRenewedAt?: string;
  /** Whether cert-manager is issuing now (`Issuing=True`). */
  issuing: boolean;
  /** The certificates of the Secret's `tls.crt`, leaf first, as they appear. */
  chain: X509Summary[];
  /** Why the Secret could not be read or parsed; absent when it could. */
  secretProblem?: string;
  /** This certificate's outcome of every check that applies to it. */
  checks: CertificateCheckOutcome[];
  /** The latest renewal asked for from the portal, if any. */
  lastRenewal?: CertificateRenewal;
}
