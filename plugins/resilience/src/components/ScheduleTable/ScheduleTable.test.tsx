import { renderInTestApp } from '@backstage/test-utils';
import { ScheduleSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { ScheduleTable } from './ScheduleTable';

const enabled: ScheduleSummary = {
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
  pvcs: ['payments/data-ledger-0', 'payments/data-ledger-1'],
};

const paused: ScheduleSummary = {
  ...enabled,
  name: 'weekly-payments',
  schedule: '0 3 * * 0',
  paused: true,
  largestIntervalSeconds: 7 * 86400,
  nextRunAt: undefined,
  lastBackupAt: '2026-11-22T03:00:00Z',
  ttlSeconds: 7 * 86400,
  pvcs: ['payments/archive'],
};

async function renderSchedules(schedules: ScheduleSummary[]) {
  await renderInTestApp(
    <ScheduleTable
      schedules={schedules}
      rpoSeconds={24 * 3600}
      retentionSeconds={30 * 86400}
      generatedAt="2026-11-25T12:00:00Z"
    />,
  );
  return (await screen.findAllByRole('row'))
    .filter(r => within(r).queryAllByRole('cell').length > 0)
    .map(r => within(r));
}

describe('ScheduleTable', () => {
  it('puts a paused schedule first and says it takes no backups, and when the enabled one runs', async () => {
    const [first, second] = await renderSchedules([enabled, paused]);

    expect(first.getByText('weekly-payments')).toBeInTheDocument();
    expect(first.getByText('Paused')).toBeInTheDocument();
    expect(first.getByTestId('status-warning')).toBeInTheDocument();
    expect(
      first.getByText(
        'Velero takes no backups while it is paused (phase Enabled)',
      ),
    ).toBeInTheDocument();
    expect(first.getByText('none: paused')).toBeInTheDocument();
    expect(
      first.getByText('every 7 d at most: longer than the RPO of 24 h'),
    ).toBeInTheDocument();
    expect(
      first.getByText('shorter than the retention of 30 d'),
    ).toBeInTheDocument();
    expect(first.getByText('payments/archive')).toBeInTheDocument();

    expect(second.getByText('daily-payments')).toBeInTheDocument();
    expect(second.getByText('Enabled')).toBeInTheDocument();
    expect(second.getByText('0 2 * * *')).toBeInTheDocument();
    expect(second.getByText('every 24 h at most')).toBeInTheDocument();
    expect(second.getByText('2026-11-26 02:00 UTC')).toBeInTheDocument();
    expect(second.getByText('in 14 h')).toBeInTheDocument();
    expect(second.getByText('2026-11-25 02:00 UTC')).toBeInTheDocument();
    expect(second.getByText('10 h ago')).toBeInTheDocument();
    expect(second.getByText('30 d')).toBeInTheDocument();
    expect(
      second.queryByText(/shorter than the retention/),
    ).not.toBeInTheDocument();
    expect(second.getByText('payments/data-ledger-0')).toBeInTheDocument();
    expect(second.getByText('payments/data-ledger-1')).toBeInTheDocument();
  });

  it('explains a schedule that Velero rejected, cannot read, or has not seen', async () => {
    const [rejected, unread, unseen] = await renderSchedules([
      {
        ...enabled,
        name: 'a-rejected',
        phase: 'FailedValidation',
        nextRunAt: undefined,
      },
      {
        ...enabled,
        name: 'b-unreadable',
        schedule: '0 2 * *',
        phase: 'Enabled',
        scheduleError: 'expected 5 fields, found 4',
        largestIntervalSeconds: undefined,
        nextRunAt: undefined,
        lastBackupAt: undefined,
        ttlSeconds: undefined,
      },
      { ...enabled, name: 'c-new', phase: undefined, nextRunAt: undefined },
    ]);
    expect(rejected.getByText('FailedValidation')).toBeInTheDocument();
    expect(
      rejected.getByText('none: not enabled (FailedValidation)'),
    ).toBeInTheDocument();
    expect(
      unread.getByText('cannot be read: expected 5 fields, found 4'),
    ).toBeInTheDocument();
    expect(
      unread.getByText('none: the cron expression cannot be read'),
    ).toBeInTheDocument();
    expect(unread.getByText('never')).toBeInTheDocument();
    expect(
      unread.getByText("Velero's default TTL applies"),
    ).toBeInTheDocument();
    expect(unseen.getByText('Not validated by Velero yet')).toBeInTheDocument();
    expect(
      unseen.getByText('none: not enabled (not validated yet)'),
    ).toBeInTheDocument();
  });

  it('orders schedules that do not run first, then those that run too rarely for the RPO', async () => {
    const rows = await renderSchedules([
      { ...enabled, name: 'a-daily' },
      {
        ...enabled,
        name: 'b-weekly',
        schedule: '0 3 * * 0',
        largestIntervalSeconds: 7 * 86400,
      },
      { ...enabled, name: 'c-paused', paused: true, nextRunAt: undefined },
    ]);
    expect(rows.map(row => row.getAllByRole('cell')[0].textContent)).toEqual([
      'c-pausedprod / velero',
      'b-weeklyprod / velero',
      'a-dailyprod / velero',
    ]);
  });

  it('says when no schedule includes the claims', async () => {
    await renderSchedules([]);
    expect(
      screen.getByText(
        "No Velero schedule includes the entity's claims: they are backed up only when someone starts a backup by hand.",
      ),
    ).toBeInTheDocument();
  });
});
