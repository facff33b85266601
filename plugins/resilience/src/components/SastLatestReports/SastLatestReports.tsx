import { Table, TableColumn } from '@backstage/core-components';
import { SastReportSummary } from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { Caption, TimeWithAge } from '../Cells';
import { severityCountsText } from '../sast';

/** Properties of {@link SastLatestReports}. */
export interface SastLatestReportsProps {
  /** The latest report of each tool and category on the branch, newest first. */
  reports: SastReportSummary[];
  /** The branch the reports are of. */
  branch: string;
  /** When the response was computed; ages are relative to it. */
  generatedAt: string;
}

/** The latest report of each tool and category on the branch: what each scan found and changed. */
export function SastLatestReports(props: SastLatestReportsProps) {
  const { reports, branch, generatedAt } = props;
  const columns: TableColumn<SastReportSummary>[] = [
    {
      title: 'Tool',
      field: 'tool',
      highlight: true,
      render: r => (
        <>
          <Typography variant="body2">
            {r.toolVersion ? `${r.tool} ${r.toolVersion}` : r.tool}
          </Typography>
          {r.category && <Caption>category {r.category}</Caption>}
        </>
      ),
    },
    {
      title: 'Scanned',
      field: 'scannedAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: r => <TimeWithAge time={r.scannedAt} now={generatedAt} />,
    },
    {
      title: 'Commit',
      field: 'commit',
      render: r => (r.commit ? <code>{r.commit.slice(0, 12)}</code> : '—'),
    },
    {
      title: 'Findings',
      field: 'findings',
      render: r => (
        <>
          <Typography variant="body2">
            {severityCountsText(r.findings)}
          </Typography>
          {r.suppressed > 0 && (
            <Caption>{r.suppressed} suppressed as accepted</Caption>
          )}
        </>
      ),
    },
    {
      title: 'Changes',
      field: 'opened',
      render: r =>
        r.applied ? (
          `${r.opened} opened, ${r.fixed} fixed`
        ) : (
          <Caption problem>
            not applied: a newer scan of this tool and category came first
          </Caption>
        ),
    },
    {
      title: 'Uploaded',
      field: 'uploadedAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: r => (
        <>
          <TimeWithAge time={r.uploadedAt} now={generatedAt} />
          <Caption>by {r.uploadedBy}</Caption>
        </>
      ),
    },
  ];
  return (
    <Table<SastReportSummary>
      title="Latest reports"
      subtitle={`The latest report of each tool and category on ${branch}, newest first.`}
      options={{
        paging: reports.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
        headerStyle: { whiteSpace: 'nowrap' },
      }}
      columns={columns}
      data={reports}
      emptyContent={
        <Typography variant="body2" color="textSecondary">
          No report of {branch}.
        </Typography>
      }
    />
  );
}
