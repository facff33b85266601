import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { ResponseError } from '@backstage/errors';
import {
  EntityIncidentResponse,
  EntityResilienceResponse,
  EntityRestoreTestsResponse,
  EntitySastResponse,
  SourceCollectionStatus,
} from '@resilience-for-backstage/plugin-resilience-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SWRConfig } from 'swr';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { check, entityScoreResponse } from '../../__testUtils__/scores';
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
  checks: [
    {
      id: 'backup.pvc-coverage',
      title: 'Every claim covered',
      state: 'fail',
      value: 1,
      threshold: 2,
      unit: 'count',
      message: 'scratch is not covered by any completed backup.',
      evidence: [
        {
          kind: 'pvc',
          cluster: 'prod',
          namespace: 'payments',
          name: 'scratch',
        },
      ],
    },
    {
      id: 'backup.rpo',
      title: 'Last good backup within RPO',
      state: 'pass',
      value: 9 * 3600 + 56 * 60,
      threshold: 24 * 3600,
      unit: 'seconds',
      message: 'The oldest last good backup is 9 hours old.',
      evidence: [],
    },
    {
      id: 'backup.schedule',
      title: 'Enabled schedule within RPO',
      state: 'warn',
      message: 'weekly-payments is paused; daily-payments still runs.',
      evidence: [],
    },
    {
      id: 'backup.retention',
      title: 'Backups kept for the retention',
      state: 'pass',
      value: 30 * 86400,
      threshold: 30 * 86400,
      unit: 'seconds',
      message: 'Every last good backup is kept 30 days.',
      evidence: [],
    },
    {
      id: 'backup.storage-location',
      title: 'Storage location available',
      state: 'pass',
      message: 'default is Available.',
      evidence: [],
    },
    {
      id: 'backup.recent-failures',
      title: 'No recent failures',
      state: 'warn',
      value: 1,
      threshold: 0,
      unit: 'count',
      message: '1 of the last 5 backups partially failed.',
      evidence: [],
    },
  ],
  schedules: [
    {
      cluster: 'prod',
      namespace: 'velero',
      name: 'daily-payments',
      schedule: '0 2 * * *',
      paused: false,
      phase: 'Enabled',
      largestIntervalSeconds: 24 * 3600,
      nextRunAt: '2026-11-26T02:00:00Z',
      lastBackupAt: '2026-11-25T02:00:00Z',
      ttlSeconds: 30 * 86400,
      pvcs: ['payments/data-ledger-0'],
    },
    {
      cluster: 'prod',
      namespace: 'velero',
      name: 'weekly-payments',
      schedule: '0 3 * * 0',
      paused: true,
      phase: 'Enabled',
      largestIntervalSeconds: 7 * 86400,
      ttlSeconds: 90 * 86400,
      pvcs: ['payments/data-ledger-0'],
    },
  ],
  storageLocations: [
    {
      cluster: 'prod',
      namespace: 'velero',
      name: 'default',
      phase: 'Available',
      isDefault: true,
      provider: 'aws',
      bucket: 'prod-velero',
      accessMode: 'ReadWrite',
      lastValidatedAt: '2026-11-25T11:59:00Z',
    },
    {
      cluster: 'prod',
      namespace: 'velero',
      name: 'dr-copy',
      phase: 'Unavailable',
      isDefault: false,
      provider: 'aws',
      bucket: 'dr-velero',
      accessMode: 'ReadWrite',
      lastValidatedAt: '2026-11-25T11:59:00Z',
      message: 'bucket dr-velero: AccessDenied',
    },
  ],
  backups: [
    {
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
    {
      cluster: 'prod',
      namespace: 'velero',
      name: 'daily-payments-20261124020000',
      phase: 'PartiallyFailed',
      scheduleName: 'daily-payments',
      startedAt: '2026-11-24T02:00:00Z',
      completedAt: '2026-11-24T02:09:00Z',
      storageLocation: 'default',
      ttlSeconds: 30 * 86400,
      errors: 3,
      warnings: 1,
    },
    {
      cluster: 'prod',
      namespace: 'velero',
      name: 'daily-payments-20261123020000',
      phase: 'Completed',
      scheduleName: 'daily-payments',
      startedAt: '2026-11-23T02:00:00Z',
      completedAt: '2026-11-23T02:04:00Z',
      storageLocation: 'default',
      ttlSeconds: 30 * 86400,
      errors: 0,
      warnings: 0,
    },
  ],
  certificates: [
    {
      cluster: 'prod',
      namespace: 'payments',
      name: 'legacy-ledger-tls',
      managedBy: 'hand',
      secretName: 'legacy-ledger-tls',
      dnsNames: ['ledger.internal.example.com'],
      issuer: { kind: 'X.509', name: 'CN=Payments Internal CA' },
      notBefore: '2025-12-15T00:00:00Z',
      notAfter: '2026-12-15T00:00:00Z',
      secondsLeft: 19 * 86400 + 12 * 3600,
      renewalTimeComputed: false,
      lastRenewedAt: '2025-12-15T00:00:00Z',
      issuing: false,
      chain: [],
      checks: [
        {
          id: 'certificate.expiry',
          state: 'warn',
          message: 'legacy-ledger-tls expires in 19 days.',
        },
        {
          id: 'certificate.managed',
          state: 'fail',
          message:
            'No Certificate manages the Secret legacy-ledger-tls: it is rotated by hand.',
        },
      ],
    },
    {
      cluster: 'prod',
      namespace: 'payments',
      name: 'ledger-tls',
      managedBy: 'cert-manager',
      secretName: 'ledger-tls',
      dnsNames: ['ledger.payments.example.com'],
      issuer: { kind: 'ClusterIssuer', name: 'letsencrypt', ready: true },
      ready: { status: 'True', reason: 'Ready' },
      notBefore: '2026-10-26T12:00:00Z',
      notAfter: '2027-01-24T12:00:00Z',
      secondsLeft: 60 * 86400,
      renewalTime: '2026-12-25T12:00:00Z',
      renewalTimeComputed: false,
      revision: 3,
      rotationPolicy: 'Always',
      lastRenewedAt: '2026-10-26T12:00:00Z',
      issuing: false,
      chain: [],
      checks: [
        {
          id: 'certificate.expiry',
          state: 'pass',
          message: 'ledger-tls expires in 60 days.',
        },
      ],
    },
  ],
  certificatePolicy: {
    expiryWarningSeconds: 28 * 86400,
    expiryFailureSeconds: 14 * 86400,
    maxLifetimeSeconds: 90 * 86400,
  },
  codeSecurityChecks: [
    {
      id: 'sast.open-critical',
      title: 'No open critical finding',
      state: 'fail',
      value: 1,
      threshold: 0,
      unit: 'count',
      bound: 'at-most',
      message: '1 critical finding is open on the default branch.',
      evidence: [
        {
          kind: 'finding',
          cluster: '',
          namespace: 'CodeQL',
          name: 'js/sql-injection at src/db.js:12',
          note: 'open for 3 d',
        },
      ],
    },
  ],
  recoveryChecks: [
    {
      id: 'recovery.restore-test-age',
      title: 'Restore tested recently',
      state: 'fail',
      message: 'No restore test of this entity succeeded yet.',
      evidence: [],
    },
  ],
  certificateChecks: [
    {
      id: 'certificate.expiry',
      title: 'Certificates far from expiry',
      state: 'warn',
      value: 19 * 86400 + 12 * 3600,
      threshold: 28 * 86400,
      unit: 'seconds',
      bound: 'at-least',
      message: 'legacy-ledger-tls expires in 19 days.',
      evidence: [
        {
          kind: 'secret',
          cluster: 'prod',
          namespace: 'payments',
          name: 'legacy-ledger-tls',
        },
      ],
    },
    {
      id: 'certificate.ready',
      title: 'Certificates ready',
      state: 'pass',
      message: 'ledger-tls is Ready.',
      evidence: [],
    },
    {
      id: 'certificate.managed',
      title: 'Every TLS Secret managed by cert-manager',
      state: 'fail',
      value: 1,
      threshold: 0,
      unit: 'count',
      bound: 'at-most',
      message: 'legacy-ledger-tls is rotated by hand.',
      evidence: [],
    },
  ],
};

/** The sections of the tab, by their accessible names. */
const section = (name: string) => within(screen.getByRole('region', { name }));

/** The sections of the tab, not those inside them. */
const topSections = () =>
  screen
    .getAllByRole('region')
    .filter(r => !r.parentElement!.closest('section'))
    .map(r => r.getAttribute('aria-label'));

const zero = { critical: 0, high: 0, medium: 0, low: 0, none: 0 };

const sast: EntitySastResponse = {
  entityRef: 'component:default/ledger',
  generatedAt: '2026-11-25T12:00:00Z',
  branch: 'main',
  isDefaultBranch: true,
  branches: ['main'],
  openFindings: { ...zero, critical: 1 },
  findings: [
    {
      tool: 'CodeQL',
      category: '',
      branch: 'main',
      fingerprint: 'a',
      ruleId: 'js/sql-injection',
      severity: 'critical',
      message: 'This query depends on a user-provided value.',
      path: 'src/db.js',
      startLine: 12,
      firstSeenAt: '2026-11-22T12:00:00Z',
      lastSeenAt: '2026-11-25T10:00:00Z',
    },
  ],
  findingsTotal: 1,
  topRules: [],
  trend: [{ date: '2026-11-25', open: { ...zero, critical: 1 } }],
  latestReports: [],
  tools: [],
  policy: {
    tier: 'gold',
    highFindingSlaSeconds: 30 * 86400,
    scanMaxAgeSeconds: 7 * 86400,
    requiredTools: [],
  },
};

const incident: EntityIncidentResponse = {
  entityRef: 'component:default/ledger',
  generatedAt: '2026-11-25T12:00:00Z',
  scanned: true,
  openFindings: { critical: 1, high: 0 },
  latestKnownGood: response.backups[2],
  latestKnownGoodAgeSeconds: 2 * 86400 + 9 * 3600 + 56 * 60,
  vulnerableSince: [],
  namespaces: [{ cluster: 'prod', namespace: 'payments' }],
  certificates: [],
};

// The score of the checks above: backups 67, certificates 50, code security 0, and a recovery
// check that could not run: 39 overall, an F.
const score = entityScoreResponse({
  checks: {
    backups: response.checks,
    recovery: [
      check('acme.runbook', 'unknown', {
        title: 'Runbook linked',
        message: 'The runbook service did not answer.',
      }),
    ],
    certificates: response.certificateChecks,
    'code-security': response.codeSecurityChecks,
  },
  history: [
    { date: '2026-11-23', score: 45, grade: 'F', pillars: {} as never },
    { date: '2026-11-24', score: null, grade: null, pillars: {} as never },
    { date: '2026-11-25', score: 39, grade: 'F', pillars: {} as never },
  ],
});

const restoreTests: EntityRestoreTestsResponse = {
  entityRef: 'component:default/ledger',
  items: [],
  candidates: [
    {
      cluster: 'prod',
      backupName: 'daily-payments-20261125020000',
      startedAt: '2026-11-25T02:00:00Z',
      mark: 'unknown',
    },
  ],
  disabledClusters: [],
};

async function render(
  api: Partial<ResilienceApi>,
  annotations = { 'backstage.io/kubernetes-id': 'ledger' },
) {
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [
            resilienceApiRef,
            {
              getEntitySast: async () => sast,
              getEntityIncident: async () => incident,
              getEntityScore: async () => score,
              getEntityRestoreTests: async () => restoreTests,
              ...api,
            },
          ],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={entity(annotations)}>
          <EntityResilienceContent />
        </EntityProvider>
      </TestApiProvider>
    </SWRConfig>,
  );
}

describe('EntityResilienceContent', () => {
  it('answers at a glance first: the checks and the policy, then volumes, timeline, failures, schedules and locations', async () => {
    await render({ getEntityResilience: async () => response });
    await screen.findByRole('region', { name: 'Backup checks' });
    expect(topSections()).toEqual([
      'Scorecard',
      'Backup checks',
      'Backup policy',
      'If this service is compromised',
      'Persistent volumes',
      'Backup timeline',
      'Failed backups',
      'Schedules',
      'Storage locations',
      'Restore tests',
      'Certificate checks',
      'Certificates',
      'Certificate expiry',
      'Code security checks',
      'Code security',
    ]);
    expect(
      section('Code security checks').getByText(
        '1 critical finding is open on the default branch.',
      ),
    ).toBeInTheDocument();

    const checks = section('Backup checks');
    expect(
      checks.getByText('1 failing · 2 warning · 3 passing'),
    ).toBeInTheDocument();
    expect(checks.getAllByRole('heading', { level: 3 })).toHaveLength(6);
    expect(checks.getByText('9 h 56 min of 24 h')).toBeInTheDocument();
    expect(
      checks.getByText('scratch is not covered by any completed backup.'),
    ).toBeInTheDocument();

    expect(section('Backup policy').getByText('gold')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    const chart = section('Backup timeline').getByRole('img', {
      name: 'Backup timeline of the last 30 d',
    });
    expect(chart).toHaveAccessibleDescription(
      /^3 backups in the last 30 d: 1 PartiallyFailed, 2 Completed\./,
    );

    const failed = section('Failed backups');
    const failedRow = failed
      .getByText('daily-payments-20261124020000')
      .closest('tr')!;
    expect(
      within(failedRow)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      'daily-payments-20261124020000prod · schedule daily-payments',
      'PartiallyFailed',
      '2026-11-24 02:09 UTC',
      '3',
      '1',
      'default',
    ]);

    const paused = section('Schedules')
      .getByText('weekly-payments')
      .closest('tr')!;
    expect(within(paused).getByText('Paused')).toBeInTheDocument();
    expect(within(paused).getByText('none: paused')).toBeInTheDocument();

    const dr = section('Storage locations').getByText('dr-copy').closest('tr')!;
    expect(within(dr).getByText('Unavailable')).toBeInTheDocument();
    expect(
      within(dr).getByText('bucket dr-velero: AccessDenied'),
    ).toBeInTheDocument();

    expect(
      screen.getByText('Last collected: prod at 2026-11-25 11:58 UTC'),
    ).toBeInTheDocument();
  });

  it('shows what to do when compromised after the checks, and the findings after the code-security checks', async () => {
    const getEntitySast = jest.fn().mockResolvedValue(sast);
    const getEntityIncident = jest.fn().mockResolvedValue(incident);
    await render({
      getEntityResilience: async () => response,
      getEntitySast,
      getEntityIncident,
    });
    const entityRef = {
      kind: 'Component',
      namespace: 'default',
      name: 'ledger',
    };
    const latest = within(
      await screen.findByRole('region', { name: 'Latest known-good backup' }),
    );
    expect(
      latest.getByText('daily-payments-20261123020000'),
    ).toBeInTheDocument();
    expect(getEntityIncident).toHaveBeenCalledWith(entityRef);

    const code = section('Code security');
    const findings = within(
      await code.findByRole('region', { name: 'Open findings' }),
    );
    expect(
      findings.getByText('This query depends on a user-provided value.'),
    ).toBeInTheDocument();
    expect(
      code.getByRole('list', { name: 'Open findings by severity' }),
    ).toHaveTextContent('1 critical');
    expect(getEntitySast).toHaveBeenCalledWith(
      entityRef,
      expect.objectContaining({ offset: 0, limit: 25 }),
    );
  });

  it('places the restore tests after the backups and before the certificates, with the recovery checks and the history', async () => {
    const getEntityRestoreTests = jest.fn().mockResolvedValue(restoreTests);
    await render({
      getEntityResilience: async () => response,
      getEntityRestoreTests,
    });
    await screen.findByRole('region', { name: 'Restore tests' });
    const order = topSections();
    expect(order.indexOf('Restore tests')).toBe(
      order.indexOf('Storage locations') + 1,
    );
    expect(order.indexOf('Certificate checks')).toBe(
      order.indexOf('Restore tests') + 1,
    );
    const restore = section('Restore tests');
    expect(
      within(
        restore.getByRole('region', { name: 'Recovery checks' }),
      ).getByText('No restore test of this entity succeeded yet.'),
    ).toBeInTheDocument();
    expect(await restore.findByText('No restore test yet')).toBeInTheDocument();
    expect(
      restore.getByRole('button', { name: 'Run restore test' }),
    ).toBeInTheDocument();
    expect(getEntityRestoreTests).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'ledger',
    });
  });

  it('shows each volume with its coverage, last good backup and age against the RPO, uncovered first', async () => {
    const getEntityResilience = jest.fn().mockResolvedValue(response);
    await render({ getEntityResilience });
    expect(getEntityResilience).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'ledger',
    });
    await screen.findByRole('region', { name: 'Persistent volumes' });
    const rows = section('Persistent volumes')
      .getAllByRole('row')
      .filter(r => within(r).queryAllByRole('cell').length > 0);
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
    expect(within(rows[1]).getByText('9 h 56 min')).toBeInTheDocument();
    expect(within(rows[1]).getByText('within the RPO')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('20Gi');
    expect(
      screen.queryByText(/could not be collected/),
    ).not.toBeInTheDocument();
  });

  it('shows the certificate checks, then the certificates soonest expiry first, then their expiry', async () => {
    await render({ getEntityResilience: async () => response });
    await screen.findByRole('region', { name: 'Certificates' });

    const checks = section('Certificate checks');
    expect(
      checks.getByText('1 failing · 1 warning · 1 passing'),
    ).toBeInTheDocument();
    expect(checks.getByText('19 d 12 h (at least 28 d)')).toBeInTheDocument();

    const rows = section('Certificates')
      .getAllByRole('row')
      .filter(r => within(r).queryAllByRole('cell').length > 1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['legacy-ledger-tls', 'ledger-tls']);
    expect(within(rows[0]).getByText('19 d left')).toBeInTheDocument();
    expect(within(rows[0]).getByText('By hand')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent(
      'Fail: No Certificate manages the Secret legacy-ledger-tls: it is rotated by hand.',
    );
    expect(within(rows[0]).queryByRole('button')).not.toBeInTheDocument();
    expect(
      await within(rows[1]).findByRole('button', {
        name: 'Renew now: ledger-tls',
      }),
    ).toBeEnabled();

    expect(
      section('Certificate expiry').getByRole('img', {
        name: 'Certificate expiry timeline',
      }),
    ).toHaveAccessibleDescription(
      /^2 certificates: 1 within 28 d, 1 with more time left\. The next to expire is prod\/payments\/legacy-ledger-tls, in 19 d/,
    );
  });

  it('reloads once a renewal succeeded, so that the table shows the new certificate', async () => {
    const renewed: EntityResilienceResponse = {
      ...response,
      generatedAt: '2026-11-25T12:01:00Z',
      certificates: response.certificates.map(c =>
        c.name === 'ledger-tls'
          ? {
              ...c,
              revision: 4,
              notBefore: '2026-11-25T12:00:05Z',
              notAfter: '2027-02-23T12:00:05Z',
              lastRenewedAt: '2026-11-25T12:00:05Z',
            }
          : c,
      ),
    };
    const getEntityResilience = jest
      .fn()
      .mockResolvedValueOnce(response)
      .mockResolvedValue(renewed);
    const renewal = {
      id: 'r-1',
      cluster: 'prod',
      namespace: 'payments',
      name: 'ledger-tls',
      entityRef: 'component:default/ledger',
      state: 'in-progress' as const,
      requestedBy: 'user:default/alice',
      requestedAt: '2026-11-25T12:00:00Z',
      previousRevision: 3,
      message: 'The Certificate was marked for issuance.',
    };
    const renewCertificate = jest.fn().mockResolvedValue({ renewal });
    const getCertificateRenewal = jest.fn().mockResolvedValue({
      renewal: {
        ...renewal,
        state: 'succeeded',
        finishedAt: '2026-11-25T12:00:05Z',
        revision: 4,
        notAfter: '2027-02-23T12:00:05Z',
        message: 'Revision 4 is Ready.',
      },
    });
    await render({
      getEntityResilience,
      renewCertificate,
      getCertificateRenewal,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Renew now: ledger-tls' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Renew now',
      }),
    );
    expect(renewCertificate).toHaveBeenCalledWith({
      entityRef: { kind: 'Component', namespace: 'default', name: 'ledger' },
      cluster: 'prod',
      namespace: 'payments',
      name: 'ledger-tls',
    });
    // The dialog follows the renewal once a second.
    expect(
      await screen.findByText(
        'Renewed: revision 4, valid until 2027-02-23 12:00 UTC',
        undefined,
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    // The dialog reports the end in an effect, which may run after the text was seen.
    await waitFor(() => expect(getEntityResilience).toHaveBeenCalledTimes(2));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Close' }),
    );
    const row = (
      await section('Certificates').findByText('revision 4')
    ).closest('tr')!;
    expect(row).toHaveTextContent('until 2027-02-23 12:00 UTC');
    // Real timers (the dialog polls once a second) on a loaded machine: more than Jest's 5 s.
  }, 30_000);

  it('says when the entity has no certificate, without checks or a chart of nothing', async () => {
    await render({
      getEntityResilience: async () => ({
        ...response,
        certificates: [],
        certificateChecks: [],
        codeSecurityChecks: [],
      }),
    });
    expect(
      await section('Certificates').findByText(
        /No TLS certificate found for this entity/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Certificate checks' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Certificate expiry' }),
    ).not.toBeInTheDocument();
  });

  it('warns when the policy annotations cannot be used', async () => {
    await render({
      getEntityResilience: async () => ({
        ...response,
        policy: {
          ...response.policy,
          problems: [
            'resilience.io/rpo "daily" is not a duration; write it as 24h or P1D.',
          ],
        },
      }),
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      "The entity's policy annotations cannot be used; the checks use the values of tier gold instead",
    );
    expect(alert).toHaveTextContent(
      'resilience.io/rpo "daily" is not a duration; write it as 24h or P1D.',
    );
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
    // The checks still say why they could not pass; tables of nothing are left out.
    expect(topSections()).toEqual([
      'Scorecard',
      'Backup checks',
      'Backup policy',
      'If this service is compromised',
      'Restore tests',
      'Certificate checks',
      'Certificates',
      'Certificate expiry',
      'Code security checks',
      'Code security',
    ]);
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

  it('shows the scorecard first: the grade, each pillar with its score, counts and checks, and the daily score', async () => {
    const getEntityScore = jest.fn().mockResolvedValue(score);
    await render({ getEntityResilience: async () => response, getEntityScore });
    const scorecard = within(
      await screen.findByRole('region', { name: 'Scorecard' }),
    );
    expect(
      await scorecard.findByRole('img', { name: 'Grade F' }),
    ).toBeInTheDocument();
    expect(getEntityScore).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'ledger' },
      { days: undefined },
    );
    expect(scorecard.getByRole('meter', { name: 'Score' })).toHaveAttribute(
      'aria-valuenow',
      '39',
    );
    expect(
      scorecard
        .getAllByRole('region')
        .map(r => r.getAttribute('aria-label'))
        .filter(name => name!.startsWith('Pillar ')),
    ).toEqual([
      'Pillar Backups',
      'Pillar Recovery',
      'Pillar Certificates',
      'Pillar Code security',
    ]);

    const backups = within(
      scorecard.getByRole('region', { name: 'Pillar Backups' }),
    );
    expect(backups.getByText('67')).toBeInTheDocument();
    expect(
      backups.getByText(
        '3 pass · 2 warning · 1 fail · 0 unknown · 0 not applicable',
      ),
    ).toBeInTheDocument();
    expect(backups.getByText('9 h 56 min of 24 h')).toBeInTheDocument();
    expect(backups.getByText('1 (threshold 2)')).toBeInTheDocument();
    fireEvent.click(backups.getByRole('button', { name: 'Show evidence (1)' }));
    expect(
      backups.getByText('Claim payments/scratch in prod'),
    ).toBeInTheDocument();

    // An unknown check is shown, and the pillar has no score rather than 0.
    const recovery = within(
      scorecard.getByRole('region', { name: 'Pillar Recovery' }),
    );
    expect(recovery.getByText('no data')).toBeInTheDocument();
    expect(
      recovery.getByText(
        '0 pass · 0 warning · 0 fail · 1 unknown · 0 not applicable',
      ),
    ).toBeInTheDocument();
    expect(
      recovery.getByText('The runbook service did not answer.'),
    ).toBeInTheDocument();
    expect(
      within(
        scorecard.getByRole('region', { name: 'Pillar Certificates' }),
      ).getByText('50'),
    ).toBeInTheDocument();

    expect(
      scorecard.getByRole('img', { name: 'Score trend' }),
    ).toHaveAccessibleDescription(
      'From 2026-11-23 to 2026-11-25, the score went from 45 to 39; lowest 39, highest 45.',
    );
  });

  it('leaves the trend out when there is no daily score yet', async () => {
    await render({
      getEntityResilience: async () => response,
      getEntityScore: async () => ({ ...score, history: [] }),
    });
    const scorecard = within(
      await screen.findByRole('region', { name: 'Scorecard' }),
    );
    expect(
      await scorecard.findByRole('img', { name: 'Grade F' }),
    ).toBeInTheDocument();
    expect(
      scorecard.queryByRole('img', { name: 'Score trend' }),
    ).not.toBeInTheDocument();
  });

  it('shows an error of the score in the scorecard, and the rest of the tab still', async () => {
    await render({
      getEntityResilience: async () => response,
      getEntityScore: async () => {
        throw new Error('The score store is unavailable');
      },
    });
    const scorecard = within(
      await screen.findByRole('region', { name: 'Scorecard' }),
    );
    expect(
      (await scorecard.findAllByText(/The score store is unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByRole('region', { name: 'Backup checks' }),
    ).toBeInTheDocument();
  });
});
