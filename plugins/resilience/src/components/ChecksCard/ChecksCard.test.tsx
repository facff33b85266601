import { renderInTestApp } from '@backstage/test-utils';
import { CheckResult } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChecksCard, formatMeasurement } from './ChecksCard';

const checks: CheckResult[] = [
  {
    id: 'backup.pvc-coverage',
    title: 'Every claim covered',
    state: 'pass',
    value: 2,
    threshold: 2,
    unit: 'count',
    message: 'Both claims are covered by a completed backup.',
    evidence: [],
  },
  {
    id: 'backup.rpo',
    title: 'Last good backup within RPO',
    state: 'fail',
    value: 26 * 3600,
    threshold: 24 * 3600,
    unit: 'seconds',
    message: 'data-ledger-0 was last backed up 26 hours ago.',
    evidence: [
      {
        kind: 'pvc',
        cluster: 'prod',
        namespace: 'payments',
        name: 'data-ledger-0',
      },
      {
        kind: 'backup',
        cluster: 'prod',
        namespace: 'velero',
        name: 'daily-payments-20261124100000',
        note: 'completed 26 hours ago',
      },
    ],
  },
  {
    id: 'backup.schedule',
    title: 'Enabled schedule within RPO',
    state: 'warn',
    message: 'Schedule daily-payments is paused.',
    evidence: [],
  },
  {
    id: 'backup.retention',
    title: 'Backups kept for the retention',
    state: 'unknown',
    message: 'Schedules could not be collected.',
    evidence: [],
  },
  {
    id: 'backup.storage-location',
    title: 'Storage location available',
    state: 'not-applicable',
    message: 'No good backup to check the location of.',
    evidence: [],
  },
];

function itemOf(title: string): HTMLElement {
  return screen.getByRole('heading', { name: title }).closest('li')!;
}

describe('ChecksCard', () => {
  it('shows each check with its state, measurement and message, and a summary worst first', async () => {
    await renderInTestApp(
      <ChecksCard
        title="Backup checks"
        checks={checks}
        emptyText="No backup checks were computed for this entity."
      />,
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(5);
    expect(
      screen.getByText(
        '1 failing · 1 warning · 1 unknown · 1 passing · 1 not applicable',
      ),
    ).toBeInTheDocument();

    const rpo = within(itemOf('Last good backup within RPO'));
    expect(rpo.getByText('Fail')).toBeInTheDocument();
    expect(rpo.getByText('26 h of 24 h')).toBeInTheDocument();
    expect(
      rpo.getByText('data-ledger-0 was last backed up 26 hours ago.'),
    ).toBeInTheDocument();
    expect(rpo.getByTestId('status-error')).toBeInTheDocument();

    expect(
      within(itemOf('Every claim covered')).getByText('Pass'),
    ).toBeInTheDocument();
    expect(
      within(itemOf('Every claim covered')).getByText('2 (threshold 2)'),
    ).toBeInTheDocument();
    expect(
      within(itemOf('Enabled schedule within RPO')).getByText('Warning'),
    ).toBeInTheDocument();
    expect(
      within(itemOf('Backups kept for the retention')).getByText('Unknown'),
    ).toBeInTheDocument();
    expect(
      within(itemOf('Storage location available')).getByText('Not applicable'),
    ).toBeInTheDocument();
  });

  it('shows the evidence of a check on request', async () => {
    await renderInTestApp(
      <ChecksCard
        title="Backup checks"
        checks={checks}
        emptyText="No backup checks were computed for this entity."
      />,
    );
    expect(
      screen.queryByText(/daily-payments-20261124100000/),
    ).not.toBeInTheDocument();
    const toggle = screen.getByRole('button', { name: 'Show evidence (2)' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(
      screen.getByText(
        'Backup velero/daily-payments-20261124100000 in prod: completed 26 hours ago',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Claim payments/data-ledger-0 in prod'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Hide evidence (2)' }),
    ).toHaveAttribute('aria-expanded', 'true');
    // Checks without evidence offer nothing to expand.
    expect(screen.getAllByRole('button', { name: /evidence/ })).toHaveLength(1);
  });

  it('says when no check was computed', async () => {
    await renderInTestApp(
      <ChecksCard
        title="Certificate checks"
        checks={[]}
        emptyText="No certificate checks were computed for this entity."
      />,
    );
    expect(screen.getByText('Certificate checks')).toBeInTheDocument();
    expect(
      screen.getByText('No certificate checks were computed for this entity.'),
    ).toBeInTheDocument();
  });

  it('shows certificate checks with their evidence under the given title', async () => {
    await renderInTestApp(
      <ChecksCard
        title="Certificate checks"
        emptyText="No certificate checks were computed for this entity."
        checks={[
          {
            id: 'certificate.expiry',
            title: 'Certificates far from expiry',
            state: 'warn',
            value: 20 * 86400,
            threshold: 28 * 86400,
            unit: 'seconds',
            bound: 'at-least',
            message: 'api-tls expires in 20 days.',
            evidence: [
              {
                kind: 'certificate',
                cluster: 'prod',
                namespace: 'payments',
                name: 'api-tls',
              },
              {
                kind: 'secret',
                cluster: 'prod',
                namespace: 'payments',
                name: 'api-tls',
                note: 'notAfter 2026-12-15 12:00 UTC',
              },
            ],
          },
        ]}
      />,
    );
    expect(screen.getByText('Certificate checks')).toBeInTheDocument();
    expect(screen.getByText('1 warning')).toBeInTheDocument();
    const expiry = within(itemOf('Certificates far from expiry'));
    expect(expiry.getByText('Warning')).toBeInTheDocument();
    expect(expiry.getByText('20 d (at least 28 d)')).toBeInTheDocument();
    await userEvent.click(
      expiry.getByRole('button', { name: 'Show evidence (2)' }),
    );
    expect(
      expiry.getByText('Certificate payments/api-tls in prod'),
    ).toBeInTheDocument();
    expect(
      expiry.getByText(
        'Secret payments/api-tls in prod: notAfter 2026-12-15 12:00 UTC',
      ),
    ).toBeInTheDocument();
  });
});

describe('formatMeasurement', () => {
  const base = checks[1];
  it.each([
    [{}, '26 h of 24 h'],
    [{ value: 24 * 3600 + 1800 }, '24 h 30 min of 24 h'],
    [{ threshold: undefined }, '26 h'],
    [{ value: undefined }, undefined],
    [{ unit: 'count' as const, value: 1, threshold: 0 }, '1 (threshold 0)'],
    [{ unit: undefined, value: 3, threshold: undefined }, '3'],
    [{ bound: 'at-most' as const }, '26 h (at most 24 h)'],
    [
      { bound: 'at-least' as const, value: 30 * 86400, threshold: 7 * 86400 },
      '30 d (at least 7 d)',
    ],
    [
      {
        bound: 'at-most' as const,
        unit: 'count' as const,
        value: 1,
        threshold: 0,
      },
      '1 (at most 0)',
    ],
  ])('%o → %s', (change, text) => {
    expect(formatMeasurement({ ...base, ...change })).toBe(text);
  });
});
