import { CollectionState } from '@resilience-for-backstage/plugin-resilience-common';

/**
 * What went wrong, finer than the collection state: a caller that reads or writes one object
 * (certificate renewal) must tell a missing object from a missing CRD, and see a conflict.
 */
export type KubernetesFailureReason =
  /** The API server does not serve the resource: its CRD is not installed. */
  | 'not-installed'
  /** The resource is served but the object does not exist. */
  | 'not-found'
  | 'forbidden'
  /** The API server refused the token (401). */
  | 'unauthorized'
  /** The API server's certificate did not verify against the trusted CA. */
  | 'untrusted-server'
  /** The object changed since it was read (409); read it again and retry. */
  | 'conflict'
  | 'other';

/**
 * TLS verification failures that follow a rotation of the cluster CA while the client still trusts
 * only the old one. OpenSSL reports a leaf from an unknown CA in one of these ways, depending on
 * whether the server sends the chain and whether the old and new CA share a name.
 */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * Says why a request failed because of credentials that a rotation may have made stale: the token
 * (HTTP 401) or the trusted CA (a TLS verification error, which `@kubernetes/client-node` passes on
 * as node-fetch's `FetchError` with the OpenSSL code). Undefined for any other failure.
 */
export function staleCredentialsReason(error: unknown): string | undefined {
  if (statusCodeOf(error) === 401) {
    return 'HTTP 401';
  }
  const code = tlsCodeOf(error);
  return code ? `TLS ${code}` : undefined;
}

/** The OpenSSL code of an untrusted-certificate error, on the error or on one it was caused by. */
function tlsCodeOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; depth < 5; depth++) {
    if (typeof e !== 'object' || e === null) {
      return undefined;
    }
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNTRUSTED_CERTIFICATE_CODES.has(code)) {
      return code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A failed request to a cluster, classified so that the collector can record a per-source state
 * instead of failing the whole cluster.
 */
export class KubernetesRequestError extends Error {
  readonly name = 'KubernetesRequestError';

  private constructor(
    message: string,
    /** The collection state this failure leads to. */
    readonly state: Exclude<CollectionState, 'ok' | 'pending'>,
    /** What went wrong. */
    readonly reason: KubernetesFailureReason,
    /** The HTTP status, when the API server answered. */
    readonly statusCode?: number,
  ) {
    super(message);
  }

  /**
   * Classifies anything thrown by `@kubernetes/client-node` (an `ApiException` with `code` and a
   * `Status` body, or a network/TLS error).
   */
  static from(error: unknown, what: string): KubernetesRequestError {
    if (error instanceof KubernetesRequestError) {
      return error;
    }
    const code = statusCodeOf(error);
    const detail = statusMessageOf(error);
    if (code === 404 && namesAnObject(error)) {
      return new KubernetesRequestError(
        `${what}: not found (404)${detail ? ` (${detail})` : ''}`,
        'error',
        'not-found',
        code,
      );
    }
    if (code === 404) {
      return new KubernetesRequestError(
        `${what}: the API server does not serve this resource (404); is its CRD installed?`,
        'not-installed',
        'not-installed',
        code,
      );
    }
    if (code === 409) {
      return new KubernetesRequestError(
        `${what}: conflict (409); read the object again and retry${
          detail ? ` (${detail})` : ''
        }`,
        'error',
        'conflict',
        code,
      );
    }
    if (code === 403) {
      return new KubernetesRequestError(
        `${what}: forbidden (403); grant the service account "list" on it${
          detail ? ` (${detail})` : ''
        }`,
        'forbidden',
        'forbidden',
        code,
      );
    }
    if (code === 401) {
      return new KubernetesRequestError(
        `${what}: the API server rejected the credentials (401); check the token`,
        'error',
        'unauthorized',
        code,
      );
    }
    if (code !== undefined) {
      return new KubernetesRequestError(
        `${what}: HTTP ${code}${detail ? ` (${detail})` : ''}`,
        'error',
        'other',
        code,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    const tlsCode = tlsCodeOf(error);
    if (tlsCode) {
      return new KubernetesRequestError(
        `${what}: the API server's certificate is not signed by a trusted CA (${tlsCode}); check the CA (caData, caFile or the kubeconfig's certificate-authority): ${message}`,
        'error',
        'untrusted-server',
      );
    }
    return new KubernetesRequestError(`${what}: ${message}`, 'error', 'other');
  }
}

function statusCodeOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number') {
      return code;
    }
  }
  return undefined;
}

/** The Kubernetes `Status` body of an error, parsed; or its text when it is not JSON. */
function statusBodyOf(error: unknown): object | string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? parsed : body;
    } catch {
      return body;
    }
  }
  return typeof body === 'object' && body !== null ? body : undefined;
}

/** The `message` of a Kubernetes `Status` body, which says what the server objected to. */
function statusMessageOf(error: unknown): string | undefined {
  const body = statusBodyOf(error);
  if (typeof body === 'string') {
    return body.slice(0, 300) || undefined;
  }
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * Whether a 404 `Status` names an object: the API server then knows the resource and the object is
 * missing; a 404 for a resource it does not serve names nothing.
 */
function namesAnObject(error: unknown): boolean {
  const body = statusBodyOf(error);
  const details =
    typeof body === 'object'
      ? (body as { details?: { name?: unknown } }).details
      : undefined;
  return typeof details?.name === 'string' && details.name !== '';
}
