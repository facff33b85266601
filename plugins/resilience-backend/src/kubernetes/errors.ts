import { CollectionState } from '@resilience-for-backstage/plugin-resilience-common';

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
    if (code === 404) {
      return new KubernetesRequestError(
        `${what}: the API server does not serve this resource (404); is its CRD installed?`,
        'not-installed',
        code,
      );
    }
    if (code === 403) {
      return new KubernetesRequestError(
        `${what}: forbidden (403); grant the service account "list" on it${
          detail ? ` (${detail})` : ''
        }`,
        'forbidden',
        code,
      );
    }
    if (code === 401) {
      return new KubernetesRequestError(
        `${what}: the API server rejected the credentials (401); check the token`,
        'error',
        code,
      );
    }
    if (code !== undefined) {
      return new KubernetesRequestError(
        `${what}: HTTP ${code}${detail ? ` (${detail})` : ''}`,
        'error',
        code,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new KubernetesRequestError(`${what}: ${message}`, 'error');
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

/** The `message` of a Kubernetes `Status` body, which says what the server objected to. */
function statusMessageOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  let body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text.slice(0, 300) || undefined;
    }
  }
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') {
      return message;
    }
  }
  return undefined;
}
