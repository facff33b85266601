import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { ResilienceClient } from './ResilienceClient';

/**
 * A real HTTP server stands in for the backend, so that URLs, encoding and error bodies go over
 * the wire as they do in a browser.
 */
describe('ResilienceClient', () => {
  let server: Server;
  let baseUrl: string;
  const requests: Array<{
    method?: string;
    url?: string;
    authorization?: string;
  }> = [];
  let respond: (req: IncomingMessage) => { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
      });
      const { status, body } = respond(req);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/resilience`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  beforeEach(() => {
    requests.length = 0;
  });

  const client = () =>
    new ResilienceClient({
      discoveryApi: {
        getBaseUrl: async plugin => baseUrl.replace('resilience', plugin),
      },
      fetchApi: {
        fetch: (input, init) =>
          fetch(input, {
            ...init,
            headers: { ...init?.headers, Authorization: 'Bearer user-token' },
          }),
      },
    });

  it('gets the entity by encoded reference through the fetch API', async () => {
    const body = {
      entityRef: 'component:default/a b',
      kubernetes: null,
      generatedAt: '2026-11-25T00:00:00Z',
      pvcs: [],
      collection: [],
    };
    respond = () => ({ status: 200, body });
    await expect(
      client().getEntityResilience({
        kind: 'Component',
        namespace: 'default',
        name: 'a b/c',
      }),
    ).resolves.toEqual(body);
    expect(requests).toEqual([
      {
        method: 'GET',
        url: '/api/resilience/entities/Component/default/a%20b%2Fc',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('throws a ResponseError carrying the backend error', async () => {
    respond = () => ({
      status: 404,
      body: {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/x in the catalog',
        },
        request: { method: 'GET', url: '/entities/component/default/x' },
        response: { statusCode: 404 },
      },
    });
    const failure = client().getEntityResilience({
      kind: 'component',
      namespace: 'default',
      name: 'x',
    });
    await expect(failure).rejects.toBeInstanceOf(ResponseError);
    await expect(failure).rejects.toMatchObject({
      statusCode: 404,
      body: {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/x in the catalog',
        },
      },
    });
  });

  const renewal = {
    id: 'r-1',
    cluster: 'prod',
    namespace: 'pay ments',
    name: 'api/tls',
    entityRef: 'component:default/ledger',
    state: 'in-progress',
    requestedBy: 'user:default/alice',
    requestedAt: '2026-11-25T12:00:00Z',
    previousRevision: 3,
    message: 'The Certificate was marked for issuance.',
  };

  it('renews a certificate with a POST to its encoded path and answers the renewal', async () => {
    respond = () => ({ status: 202, body: { renewal } });
    await expect(
      client().renewCertificate({
        entityRef: { kind: 'Component', namespace: 'default', name: 'ledger' },
        cluster: 'prod',
        namespace: 'pay ments',
        name: 'api/tls',
      }),
    ).resolves.toEqual({ renewal });
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/api/resilience/entities/Component/default/ledger/certificates/prod/pay%20ments/api%2Ftls/renew',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('rejects a renewal already in progress with the backend message', async () => {
    respond = () => ({
      status: 409,
      body: {
        error: {
          name: 'ConflictError',
          message: 'A renewal of prod/payments/api-tls is already in progress',
        },
        response: { statusCode: 409 },
      },
    });
    const failure = client().renewCertificate({
      entityRef: { kind: 'component', namespace: 'default', name: 'ledger' },
      cluster: 'prod',
      namespace: 'payments',
      name: 'api-tls',
    });
    await expect(failure).rejects.toMatchObject({
      statusCode: 409,
      body: {
        error: {
          message: 'A renewal of prod/payments/api-tls is already in progress',
        },
      },
    });
  });

  it('reads a renewal by its encoded id', async () => {
    const done = {
      ...renewal,
      state: 'succeeded',
      revision: 4,
      notAfter: '2027-02-23T12:00:00Z',
    };
    respond = () => ({ status: 200, body: { renewal: done } });
    await expect(client().getCertificateRenewal('r 1')).resolves.toEqual({
      renewal: done,
    });
    expect(requests).toEqual([
      {
        method: 'GET',
        url: '/api/resilience/certificate-renewals/r%201',
        authorization: 'Bearer user-token',
      },
    ]);
  });
});
