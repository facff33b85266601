import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  EntityResilienceResponse,
  SourceCollectionStatus,
} from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { EntityResilienceContent } from './EntityResilienceContent';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const ok = (
  source: SourceCollectionStatus['source'],
): SourceCollectionStatus => ({
  cluster: 'prod',
  source,
  state: 'ok',
  stale: false,
  lastAttemptAt: '2026-11-25T11:58:00Z',
  lastSuccessAt: '2026-11-25T11:58:00Z',
});

const response: EntityResilienceResponse = {
  entityRef: 'component:default/ledger',
  kubernetes: { kubernetesId: 'ledger' },
  generatedAt: '2026-11-25T12:00:00Z',
  collection: [
    ok('velero-backups'),
    ok('velero-schedules'),
    ok('persistent-volume-claims'),
  ],
  pvcs: [
    {
      cluster: 'prod',
      namespace: 'payments',
      name: 'data-ledger-0',
      phase: 'Bound',
      capacity: '20Gi',
      storageClassName: 'gp3-csi',
      coverage: 'covered',
      coverageReason:
        'Backup daily-payments-20261125020000 includes the claim and 1 volume snapshot or data operation completed; no per-volume record ties that data to this claim.',
      lastGoodBackup: {
        cluster: 'prod',
        namespace: 'velero',
        name: 'daily-payments-20261125020000',
        phase: 'Completed',
        scheduleName: 'daily-payments',
        startedAt: '2026-11-25T02:00:00Z',
        completedAt: '2026-11-25T02:04:00Z',
        storageLocation: 'default',
        ttlSeconds: 30 * 86400,
        errors: 0,
        warnings: 0,
      },
      lastGoodBackupAgeSeconds: 9 * 3600 + 56 * 60,
    },
    {
      cluster: 'prod',
      namespace: 'payments',
      name: 'scratch',
      phase: 'Bound',
      coverage: 'not-covered',
      coverageReason:
        'No completed backup includes this claim: check the namespace, resource and label filters of the schedules.',
      lastGoodBackup: null,
      lastGoodBackupAgeSeconds: null,
    },
  ],
  policy: {
    tier: 'gold',
    rpoSeconds: 24 * 3600,
    retentionSeconds: 30 * 86400,
    recentBackups: 5,
    overriddenBy: [],
    problems: [],
  },
  checks: [],
  schedules: [],
  storageLocations: [],
  backups: [],
};

async function render(
  api: Partial<ResilienceApi>,
  annotations = { 'backstage.io/kubernetes-id': 'ledger' },
) {
  return renderInTestApp(
    <TestApiProvider apis={[[resilienceApiRef, api]]}>
      <EntityProvider entity={entity(annotations)}>
        <EntityResilienceContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityResilienceContent', () => {
  it('shows each volume with its coverage, last good backup and age, uncovered first', async () => {
    const getEntityResilience = jest.fn().mockResolvedValue(response);
    await render({ getEntityResilience });
    expect(getEntityResilience).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'ledger',
    });
    const rows = (await screen.findAllByRole('row')).filter(
      r => within(r).queryAllByRole('cell').length > 0,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('scratch');
    expect(rows[0]).toHaveTextContent('Not covered');
    expect(rows[0]).toHaveTextContent(
      'No completed backup includes this claim',
    );
    expect(rows[1]).toHaveTextContent('data-ledger-0');
    expect(rows[1]).toHaveTextContent('Covered');
    expect(rows[1]).toHaveTextContent(
      '1 volume snapshot or data operation completed',
    );
    expect(rows[1]).toHaveTextContent('daily-payments-20261125020000');
    expect(rows[1]).toHaveTextContent('schedule daily-payments');
    expect(rows[1]).toHaveTextContent('2026-11-25 02:04 UTC');
    expect(rows[1]).toHaveTextContent('9 h');
    expect(rows[1]).toHaveTextContent('20Gi');
    expect(
      screen.queryByText(/could not be collected/),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('Last collected: prod at 2026-11-25 11:58 UTC'),
    ).toBeInTheDocument();
  });

  it('warns when a source failed, saying since when the data is stale', async () => {
    await render({
      getEntityResilience: async () => ({
        ...response,
        collection: [
          {
            ...ok('velero-backups'),
            state: 'forbidden',
            stale: true,
            message: 'forbidden (403); grant the service account "list"',
          },
          ok('velero-schedules'),
          ok('persistent-volume-claims'),
        ],
      }),
    });
    expect(
      await screen.findByText(/could not be collected/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /prod: velero-backups not readable with the configured credentials; showing what was collected at 2026-11-25 11:58 UTC — forbidden \(403\)/,
      ),
    ).toBeInTheDocument();
  });

  it('says when collection has not finished yet', async () => {
    await render({
      getEntityResilience: async () => ({
        ...response,
        pvcs: [],
        collection: response.collection.map(s => ({
          ...s,
          state: 'pending' as const,
          lastSuccessAt: undefined,
        })),
      }),
    });
    expect(
      await screen.findByText('Collection has not finished yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Last collected: prod not completely yet'),
    ).toBeInTheDocument();
  });

  it('explains an entity without volumes by the label it looked for', async () => {
    await render({
      getEntityResilience: async () => ({ ...response, pvcs: [] }),
    });
    expect(
      await screen.findByText('No persistent volume claims'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/carries the label backstage.io\/kubernetes-id=ledger/),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'No entity component:default/ledger in the catalog',
          },
          response: { statusCode: 404 },
        }),
        {
          status: 404,
          statusText: 'Not Found',
          headers: { 'Content-Type': 'application/json' },
        },
      ) as any,
    );
    await render({ getEntityResilience: async () => Promise.reject(error) });
    expect(
      await screen.findByText('Error: Request failed with 404 Not Found'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/No entity component:default\/ledger in the catalog/)
        .length,
    ).toBeGreaterThan(0);
  });

  it('shows a progress bar while loading', async () => {
    await render({ getEntityResilience: () => new Promise(() => {}) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('asks for the annotations when the entity has none, without calling the backend', async () => {
    const getEntityResilience = jest.fn();
    await render(
      { getEntityResilience },
      {} as { 'backstage.io/kubernetes-id': string },
    );
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(getEntityResilience).not.toHaveBeenCalled();
  });
});
