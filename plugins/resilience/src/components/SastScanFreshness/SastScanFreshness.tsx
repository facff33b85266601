import { Table, TableColumn } from '@backstage/core-components';
import {
  EffectiveSastPolicy,
  SastToolFreshness,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { Caption } from '../Cells';
import { formatAge, formatDuration, formatTime } from '../format';
import { StatusKind, StatusLabel } from '../StatusLabel';

/** Properties of {@link SastScanFreshness}. */
export interface SastScanFreshnessProps {
  tools: SastToolFreshness[];
  policy: EffectiveSastPolicy;
  /** The branch the scans are of. */
  branch: string;
}

const STATE: Record<
  SastToolFreshness['state'],
  { status: StatusKind; text: string }
> = {
  fresh: { status: 'ok', text: 'Fresh' },
  stale: { status: 'warning', text: 'Stale' },
  missing: { status: 'error', text: 'Missing' },
};

function stateReason(tool: SastToolFreshness, maxAge: string): string {
  switch (tool.state) {
    case 'fresh':
      return `scanned within ${maxAge}`;
    case 'stale':
      return `not scanned for more than ${maxAge}`;
    default:
      return 'required, but never scanned this branch';
  }
}

/**
 * How recently each tool scanned the branch, against the policy's maximum age, and whether the
 * policy requires it: a tool that stopped running in CI shows here before its findings go
 * out of date unnoticed.
 */
export function SastScanFreshness(props: SastScanFreshnessProps) {
  const { tools, policy, branch } = props;
  const maxAge = formatDuration(policy.scanMaxAgeSeconds);
  const columns: TableColumn<SastToolFreshness>[] = [
    { title: 'Tool', field: 'tool', highlight: true },
    {
      title: 'Last scan',
      field: 'lastScannedAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: t =>
        t.lastScannedAt ? (
          <>
            <Typography variant="body2">
              {formatTime(t.lastScannedAt)}
            </Typography>
            {t.ageSeconds !== undefined && (
              <Caption>{formatAge(Math.max(0, t.ageSeconds))} ago</Caption>
            )}
          </>
        ) : (
          'never'
        ),
    },
    {
      title: 'Required',
      field: 'required',
      render: t => (t.required ? 'required' : 'not required'),
    },
    {
      title: 'State',
      field: 'state',
      render: t => (
        <>
          <StatusLabel status={STATE[t.state].status}>
            {STATE[t.state].text}
          </StatusLabel>
          <Caption problem={t.state !== 'fresh'}>
            {stateReason(t, maxAge)}
          </Caption>
        </>
      ),
    },
  ];
  const required =
    policy.requiredTools.length > 0
      ? ` The ${policy.tier} tier requires ${policy.requiredTools.join(', ')}.`
      : '';
  return (
    <Table<SastToolFreshness>
      title="Scan freshness"
      subtitle={`Each tool's latest scan of ${branch}, against the maximum age of ${maxAge}.${required}`}
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        headerStyle: { whiteSpace: 'nowrap' },
      }}
      columns={columns}
      data={tools}
      emptyContent={
        <Typography variant="body2" color="textSecondary">
          No tool scanned {branch}, and the policy requires none.
        </Typography>
      }
    />
  );
}
