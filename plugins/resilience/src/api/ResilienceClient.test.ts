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
  // `body` and `contentType` stay undefined without a body, so that `toEqual` ignores them.
  const requests: Array<{
    method?: string;
    url?: string;
    authorization?: string;
    contentType?: string;
    body?: unknown;
  }> = [];
  let respond: (req: IncomingMessage) => { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      requests.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: text ? JSON.parse(text) : undefined,
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
  it('gets the SAST view of the default branch without a query string', async () => {
    const body = { entityRef: 'component:default/ledger', findings: [] };
    respond = () => ({ status: 200, body });
    await expect(
      client().getEntitySast({
        kind: 'Component',
        namespace: 'default',
        name: 'ledger',
      }),
    ).resolves.toEqual(body);
    expect(requests).toEqual([
      {
        method: 'GET',
        url: '/api/resilience/entities/Component/default/ledger/sast',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('asks for a branch, a page, severities and a trend length in the query', async () => {
    respond = () => ({ status: 200, body: {} });
    await client().getEntitySast(
      { kind: 'Component', namespace: 'default', name: 'ledger' },
      {
        branch: 'feature/a&b',
        offset: 50,
        limit: 25,
        severities: ['critical', 'high'],
        days: 30,
      },
    );
    const url = new URL(requests[0].url!, 'http://localhost');
    expect(url.pathname).toBe(
      '/api/resilience/entities/Component/default/ledger/sast',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      branch: 'feature/a&b',
      offset: '50',
      limit: '25',
      severity: 'critical,high',
      days: '30',
    });
  });

  it('sends an offset of 0, and no severity for an empty filter', async () => {
    respond = () => ({ status: 200, body: {} });
    await client().getEntitySast(
      { kind: 'Component', namespace: 'default', name: 'ledger' },
      { offset: 0, severities: [] },
    );
    expect(requests[0].url).toBe(
      '/api/resilience/entities/Component/default/ledger/sast?offset=0',
    );
  });

  it('rejects a SAST request the backend refuses with its message', async () => {
    respond = () => ({
      status: 400,
      body: {
        error: {
          name: 'InputError',
          message: 'limit must be an integer from 1 to 500',
        },
        response: { statusCode: 400 },
      },
    });
    const failure = client().getEntitySast(
      { kind: 'Component', namespace: 'default', name: 'ledger' },
      { limit: 1000 },
    );
    await expect(failure).rejects.toBeInstanceOf(ResponseError);
    await expect(failure).rejects.toMatchObject({
      statusCode: 400,
      body: { error: { message: 'limit must be an integer from 1 to 500' } },
    });
  });

  it('gets the incident view by encoded reference', async () => {
    const body = {
      entityRef: 'component:default/a b',
      generatedAt: '2026-11-25T12:00:00Z',
      scanned: false,
      openFindings: { critical: 0, high: 0 },
      latestKnownGood: null,
      latestKnownGoodAgeSeconds: null,
      vulnerableSince: [],
      namespaces: [],
      certificates: [],
    };
    respond = () => ({ status: 200, body });
    await expect(
      client().getEntityIncident({
        kind: 'Component',
        namespace: 'default',
        name: 'a b',
      }),
    ).resolves.toEqual(body);
    expect(requests).toEqual([
      {
        method: 'GET',
        url: '/api/resilience/entities/Component/default/a%20b/incident',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('gets the score of an entity by encoded reference, with the days of history when asked', async () => {
    const body = {
      entityRef: 'component:default/a b',
      score: 72,
      grade: 'C',
      pillars: [],
      history: [],
    };
    respond = () => ({ status: 200, body });
    const ref = { kind: 'Component', namespace: 'default', name: 'a b/c' };
    await expect(client().getEntityScore(ref)).resolves.toEqual(body);
    await client().getEntityScore(ref, { days: 30 });
    expect(requests).toEqual([
      {
        method: 'GET',
        url: '/api/resilience/entities/Component/default/a%20b%2Fc/score',
        authorization: 'Bearer user-token',
      },
      {
        method: 'GET',
        url: '/api/resilience/entities/Component/default/a%20b%2Fc/score?days=30',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it("asks for a team's scorecard by the group's namespace and name, with every query parameter", async () => {
    const body = { groupRef: 'group:default/payments', items: [], total: 0 };
    respond = () => ({ status: 200, body });
    await expect(
      client().getTeamScorecard(
        { kind: 'Group', namespace: 'default', name: 'pay/ments' },
        {
          offset: 25,
          limit: 25,
          sort: 'code-security',
          order: 'desc',
          grades: ['E', 'F', 'none'],
          pillar: 'backups',
          days: 30,
        },
      ),
    ).resolves.toEqual(body);
    const url = new URL(requests[0].url!, 'http://localhost');
    expect(url.pathname).toBe(
      '/api/resilience/groups/default/pay%2Fments/scorecard',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      offset: '25',
      limit: '25',
      sort: 'code-security',
      order: 'desc',
      grade: 'E,F,none',
      pillar: 'backups',
      days: '30',
    });
    expect(requests[0].authorization).toBe('Bearer user-token');
  });

  it("leaves the backend's defaults to a scorecard query without parameters or with an empty grade filter", async () => {
    respond = () => ({ status: 200, body: {} });
    const group = { kind: 'Group', namespace: 'default', name: 'payments' };
    await client().getTeamScorecard(group);
    await client().getTeamScorecard(group, { offset: 0, grades: [] });
    expect(requests.map(r => r.url)).toEqual([
      '/api/resilience/groups/default/payments/scorecard',
      '/api/resilience/groups/default/payments/scorecard?offset=0',
    ]);
  });

  it("gets the organisation's scorecard, with the days of its trend when asked", async () => {
    const body = { generatedAt: '2026-11-25T12:00:00Z', teams: [] };
    respond = () => ({ status: 200, body });
    await expect(client().getOrganisationScorecard()).resolves.toEqual(body);
    await client().getOrganisationScorecard({ days: 7 });
    expect(requests.map(r => r.url)).toEqual([
      '/api/resilience/scorecard',
      '/api/resilience/scorecard?days=7',
    ]);
  });

  it('rejects a scorecard request the backend refuses with its message', async () => {
    respond = () => ({
      status: 404,
      body: {
        error: {
          name: 'NotFoundError',
          message: 'No group group:default/nobody you may read',
        },
        response: { statusCode: 404 },
      },
    });
    const failure = client().getTeamScorecard({
      kind: 'Group',
      namespace: 'default',
      name: 'nobody',
    });
    await expect(failure).rejects.toBeInstanceOf(ResponseError);
    await expect(failure).rejects.toMatchObject({
      statusCode: 404,
      body: {
        error: { message: 'No group group:default/nobody you may read' },
      },
    });
  });
  const restoreTest = {
    id: 't 1',
    entityRef: 'component:default/ledger',
    cluster: 'prod',
    backupName: 'daily-payments-20261125020000',
    state: 'pending',
    namespaceMapping: {},
    createdBy: 'user:default/alice',
    createdAt: '2026-11-25T12:00:00Z',
    transitions: [
      {
        state: 'pending',
        at: '2026-11-25T12:00:00Z',
        message: 'Waiting for a slot in prod.',
      },
    ],
  };

  it('starts a restore test with a JSON POST of the request', async () => {
    respond = () => ({ status: 202, body: restoreTest });
    await expect(
      client().createRestoreTest({
        entityRef: 'component:default/ledger',
        cluster: 'prod',
        backupName: 'daily-payments-20261125020000',
      }),
    ).resolves.toEqual(restoreTest);
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/api/resilience/restore-tests',
        authorization: 'Bearer user-token',
        contentType: 'application/json',
        body: {
          entityRef: 'component:default/ledger',
          cluster: 'prod',
          backupName: 'daily-payments-20261125020000',
        },
      },
    ]);
  });

  it.each([
    [400, 'InputError', 'Restore tests are disabled in cluster staging'],
    [403, 'NotAllowedError', 'You may not run restore tests of ledger'],
    [
      409,
      'ConflictError',
      'The last restore test of component:default/ledger started 5 min ago; wait 55 min',
    ],
  ])(
    'rejects a restore test the backend refuses with %s and its message',
    async (status, name, message) => {
      respond = () => ({
        status,
        body: { error: { name, message }, response: { statusCode: status } },
      });
      const failure = client().createRestoreTest({
        entityRef: 'component:default/ledger',
      });
      await expect(failure).rejects.toBeInstanceOf(ResponseError);
      await expect(failure).rejects.toMatchObject({
        statusCode: status,
        body: { error: { message } },
      });
      expect(requests[0].body).toEqual({
        entityRef: 'component:default/ledger',
      });
    },
  );

  it('reads a restore test by its encoded id', async () => {
    respond = () => ({ status: 200, body: restoreTest });
    await expect(client().getRestoreTest('t 1')).resolves.toEqual(restoreTest);
    expect(requests).toEqual([
      {
        method: 'GET',
        url: '/api/resilience/restore-tests/t%201',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('cancels a restore test with a POST without a body', async () => {
    const cancelling = { ...restoreTest, state: 'cleaning-up' };
    respond = () => ({ status: 202, body: cancelling });
    await expect(client().cancelRestoreTest('t 1')).resolves.toEqual(
      cancelling,
    );
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/api/resilience/restore-tests/t%201/cancel',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('rejects cancelling a restore test that is over with the backend message', async () => {
    respond = () => ({
      status: 409,
      body: {
        error: { name: 'ConflictError', message: 'The test is over' },
        response: { statusCode: 409 },
      },
    });
    await expect(client().cancelRestoreTest('t-1')).rejects.toMatchObject({
      statusCode: 409,
      body: { error: { message: 'The test is over' } },
    });
  });

  it("gets the entity's restore tests by encoded reference", async () => {
    const body = {
      entityRef: 'component:default/a b',
      items: [restoreTest],
      candidates: [],
      disabledClusters: [],
    };
    respond = () => ({ status: 200, body });
    await expect(
      client().getEntityRestoreTests({
        kind: 'Component',
        namespace: 'default',
        name: 'a b/c',
      }),
    ).resolves.toEqual(body);
    expect(requests).toEqual([
      {
        method: 'GET',
        url: '/api/resilience/entities/Component/default/a%20b%2Fc/restore-tests',
        authorization: 'Bearer user-token',
      },
    ]);
  });
});
