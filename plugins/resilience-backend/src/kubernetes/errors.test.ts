import { KubernetesRequestError, staleCredentialsReason } from './errors';

/** An error shaped like client-node's `ApiException`, with a `Status` body as text. */
const apiException = (code: number, status: object = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), {
    code,
    body: JSON.stringify({ kind: 'Status', code, ...status }),
  });

/** An error shaped like node-fetch's `FetchError` for a failed TLS handshake. */
const fetchError = (code: string) =>
  Object.assign(new Error(`request failed, reason: ${code}`), {
    name: 'FetchError',
    type: 'system',
    code,
    errno: code,
  });

describe('staleCredentialsReason', () => {
  it.each([
    ['a 401', apiException(401), 'HTTP 401'],
    [
      'an unknown CA',
      fetchError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      'TLS UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ],
    [
      'a chain ending in an unknown CA',
      fetchError('SELF_SIGNED_CERT_IN_CHAIN'),
      'TLS SELF_SIGNED_CERT_IN_CHAIN',
    ],
    [
      'a renewed CA with the old name',
      fetchError('CERT_SIGNATURE_FAILURE'),
      'TLS CERT_SIGNATURE_FAILURE',
    ],
    [
      'a TLS error wrapped as a cause',
      new Error('fetch failed', {
        cause: fetchError('DEPTH_ZERO_SELF_SIGNED_CERT'),
      }),
      'TLS DEPTH_ZERO_SELF_SIGNED_CERT',
    ],
    ['a 403', apiException(403), undefined],
    ['a 500', apiException(500), undefined],
    ['a refused connection', fetchError('ECONNREFUSED'), undefined],
    // A certificate for another host is a configuration error, not a rotation.
    [
      'a wrong host name',
      fetchError('ERR_TLS_CERT_ALTNAME_INVALID'),
      undefined,
    ],
    ['an expired certificate', fetchError('CERT_HAS_EXPIRED'), undefined],
    ['a string', 'boom', undefined],
  ])('for %s is %p', (_, error, reason) => {
    expect(staleCredentialsReason(error)).toBe(reason);
  });
});

describe('KubernetesRequestError.from', () => {
  it.each([
    [
      'a 404 naming an object',
      apiException(404, {
        reason: 'NotFound',
        message: 'certificates.cert-manager.io "web" not found',
        details: {
          name: 'web',
          group: 'cert-manager.io',
          kind: 'certificates',
        },
      }),
      { state: 'error', reason: 'not-found', statusCode: 404 },
      /not found \(404\) \(certificates.cert-manager.io "web" not found\)/,
    ],
    [
      'a 404 naming nothing',
      apiException(404, {
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
      }),
      { state: 'not-installed', reason: 'not-installed', statusCode: 404 },
      /is its CRD installed\?/,
    ],
    [
      'a 409',
      apiException(409, {
        reason: 'Conflict',
        message: 'the object has been modified',
      }),
      { state: 'error', reason: 'conflict', statusCode: 409 },
      /conflict \(409\); read the object again and retry \(the object has been modified\)/,
    ],
    [
      'a 401',
      apiException(401),
      { state: 'error', reason: 'unauthorized', statusCode: 401 },
      /rejected the credentials \(401\)/,
    ],
    [
      'a 403',
      apiException(403, { message: 'cannot list' }),
      { state: 'forbidden', reason: 'forbidden', statusCode: 403 },
      /forbidden \(403\)/,
    ],
    [
      'an untrusted server certificate',
      fetchError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      { state: 'error', reason: 'untrusted-server', statusCode: undefined },
      /not signed by a trusted CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); check the CA/,
    ],
    [
      'a reset connection',
      fetchError('ECONNRESET'),
      { state: 'error', reason: 'other', statusCode: undefined },
      /get x: request failed, reason: ECONNRESET/,
    ],
  ])('classifies %s', (_, error, expected, message) => {
    const failure = KubernetesRequestError.from(error, 'get x');
    expect(failure).toMatchObject(expected);
    expect(failure.message).toMatch(message);
  });
});
