import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  BackupSummary,
  CertificateSummary,
  EntityIncidentResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { EntityIncidentCard } from './EntityIncidentCard';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', namespace: 'default', annotations },
});

function backup(
  day: number,
  security: BackupSummary['security'],
): BackupSummary {
  return {
    cluster: 'prod',
    namespace: 'velero',
    name: `daily-ledger-202611${day}020000`,
    phase: 'Completed',
    scheduleName: 'daily-ledger',
    startedAt: `2026-11-${day}T02:00:00Z`,
    completedAt: `2026-11-${day}T02:04:00Z`,
    errors: 0,
    warnings: 0,
    security,
  };
}

function certificate(
  namespace: string,
  name: string,
  change: Partial<CertificateSummary> = {},
): CertificateSummary {
  return {
    cluster: 'prod',
    namespace,
    name,
    managedBy: 'cert-manager',
    secretName: name,
    dnsNames: [],
    notAfter: '2027-01-24T12:00:00Z',
    secondsLeft: 60 * 86400,
    renewalTimeComputed: false,
    issuing: false,
    chain: [],
    checks: [],
    ...change,
  };
}

const vulnerable = (critical: number, high: number) => ({
  mark: 'vulnerable' as const,
  openCritical: critical,
  openHigh: high,
});

const incident: EntityIncidentResponse = {
  entityRef: 'component:default/ledger',
  generatedAt: '2026-11-25T12:00:00Z',
  scanned: true,
  openFindings: { critical: 1, high: 3 },
  latestKnownGood: backup(22, {
    mark: 'known-good',
    openCritical: 0,
    openHigh: 0,
  }),
  latestKnownGoodAgeSeconds: 3 * 86400 + 9 * 3600 + 56 * 60,
  vulnerableSince: [backup(25, vulnerable(1, 3)), backup(24, vulnerable(0, 2))],
  namespaces: [
    { cluster: 'prod', namespace: 'payments' },
    { cluster: 'prod', namespace: 'ledger' },
  ],
  certificates: [
    certificate('payments', 'api-tls', {
      notAfter: '2026-12-05T12:00:00Z',
      secondsLeft: 10 * 86400,
    }),
    certificate('ledger', 'ledger-tls'),
    certificate('payments', 'legacy-tls', {
      managedBy: 'hand',
      secretName: 'legacy-tls-secret',
      notAfter: '2026-12-25T12:00:00Z',
      secondsLeft: 30 * 86400,
    }),
  ],
};

async function render(
  api: Partial<ResilienceApi>,
  annotations: Record<string, string> = {
    'backstage.io/kubernetes-id': 'ledger',
  },
) {
  return renderInTestApp(
    <TestApiProvider apis={[[resilienceApiRef, api]]}>
      <EntityProvider entity={entity(annotations)}>
        <EntityIncidentCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const card = () =>
  within(
    screen.getByRole('region', { name: 'If this service is compromised' }),
  );

const cells = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => Array.from(r.querySelectorAll('td, th')).map(c => c.textContent));

describe('EntityIncidentCard', () => {
  it('names the latest known-good backup of the entity, with its cluster, completion and age', async () => {
    const getEntityIncident = jest.fn().mockResolvedValue(incident);
    await render({ getEntityIncident });
    const latest = within(
      await screen.findByRole('region', { name: 'Latest known-good backup' }),
    );
    expect(getEntityIncident).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'ledger',
    });
    expect(latest.getByText('daily-ledger-20261122020000')).toBeInTheDocument();
    expect(
      latest.getByText(
        'cluster prod · completed 2026-11-22 02:04 UTC, 3 d ago · schedule daily-ledger',
      ),
    ).toBeInTheDocument();
    expect(
      card().getByText(
        '1 critical and 3 high findings are open on the default branches: the code running now is vulnerable too.',
      ),
    ).toBeInTheDocument();
  });

  it('lists the vulnerable backups since, with the critical and high findings open when each started', async () => {
    await render({ getEntityIncident: async () => incident });
    const since = within(
      await screen.findByRole('region', { name: 'Vulnerable backups since' }),
    );
    expect(
      since.getByText(
        '2 backups since then were taken with critical or high findings open: restoring any of them brings that code back.',
      ),
    ).toBeInTheDocument();
    expect(
      cells(since.getByRole('table', { name: 'Vulnerable backups' })),
    ).toEqual([
      [
        'daily-ledger-20261125020000cluster prod',
        '2026-11-25 02:00 UTC',
        '1',
        '3',
      ],
      [
        'daily-ledger-20261124020000cluster prod',
        '2026-11-24 02:00 UTC',
        '0',
        '2',
      ],
    ]);
  });

  it('lists the certificates to rotate by namespace, soonest expiry first', async () => {
    await render({ getEntityIncident: async () => incident });
    const rotate = within(
      await screen.findByRole('region', { name: 'Certificates to rotate' }),
    );
    expect(
      rotate.getByText(
        "Every TLS certificate in the namespaces the entity runs in (prod/payments, prod/ledger), its own and its neighbours': a compromised workload may have read their keys.",
      ),
    ).toBeInTheDocument();
    expect(
      cells(rotate.getByRole('table', { name: 'Certificates to rotate' })),
    ).toEqual([
      ['Namespace payments in prod'],
      ['payments/api-tls', 'prod', 'cert-manager', '10 d left'],
      [
        'payments/legacy-tlsSecret legacy-tls-secret',
        'prod',
        'By hand',
        '30 d left',
      ],
      ['Namespace ledger in prod'],
      ['ledger/ledger-tls', 'prod', 'cert-manager', '60 d left'],
    ]);
  });

  it('says why there is no known-good backup when nothing was scanned', async () => {
    await render({
      getEntityIncident: async () => ({
        ...incident,
        scanned: false,
        openFindings: { critical: 0, high: 0 },
        latestKnownGood: null,
        latestKnownGoodAgeSeconds: null,
        vulnerableSince: [],
      }),
    });
    const latest = within(
      await screen.findByRole('region', { name: 'Latest known-good backup' }),
    );
    expect(
      latest.getByText(
        'None can be named: no SAST report of a default branch was uploaded for this entity, so no backup is known to be free of critical or high findings.',
      ),
    ).toBeInTheDocument();
    expect(
      card().getByText('Unknown: no scan of a default branch was uploaded.'),
    ).toBeInTheDocument();
    expect(card().getByText('None is marked vulnerable.')).toBeInTheDocument();
  });

  it('says why there is no known-good backup when every one is vulnerable', async () => {
    await render({
      getEntityIncident: async () => ({
        ...incident,
        latestKnownGood: null,
        latestKnownGoodAgeSeconds: null,
      }),
    });
    expect(
      await screen.findByText(
        'None: every completed backup still kept was taken while critical or high findings were open, so restoring any of them brings that code back.',
      ),
    ).toBeInTheDocument();
    expect(
      card().getByText(
        '2 backups still kept were taken with critical or high findings open: restoring any of them brings that code back.',
      ),
    ).toBeInTheDocument();
  });

  it('says when no certificate and no finding is there', async () => {
    await render({
      getEntityIncident: async () => ({
        ...incident,
        openFindings: { critical: 0, high: 0 },
        vulnerableSince: [],
        certificates: [],
      }),
    });
    expect(
      await screen.findByText(
        "No TLS certificate in the entity's namespaces (prod/payments, prod/ledger).",
      ),
    ).toBeInTheDocument();
    expect(
      card().getByText(
        'No critical or high finding is open on the default branches.',
      ),
    ).toBeInTheDocument();
    expect(
      card().getByText(
        'None: no vulnerable backup was taken since the latest known-good one.',
      ),
    ).toBeInTheDocument();
  });

  it('asks for the annotations on an entity without them, without calling the backend', async () => {
    const getEntityIncident = jest.fn();
    await render({ getEntityIncident }, {});
    expect(card().getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(getEntityIncident).not.toHaveBeenCalled();
  });

  it('shows the backend error in the card', async () => {
    await render({
      getEntityIncident: async () => {
        throw new Error('The catalog is unavailable');
      },
    });
    expect(
      (await card().findAllByText(/The catalog is unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
