import { Table, TableColumn } from '@backstage/core-components';
import { SastRuleSummary } from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { Caption } from '../Cells';
import { SeverityChip } from '../SeverityChip';

/** Properties of {@link SastTopRules}. */
export interface SastTopRulesProps {
  /** The rules with most open findings, most first. */
  rules: SastRuleSummary[];
  /** The branch the findings are of. */
  branch: string;
}

const columns: TableColumn<SastRuleSummary>[] = [
  {
    title: 'Rule',
    field: 'ruleId',
    highlight: true,
    render: r => (
      <>
        <Typography variant="body2">{r.ruleName ?? r.ruleId}</Typography>
        {r.ruleName && r.ruleName !== r.ruleId && <Caption>{r.ruleId}</Caption>}
      </>
    ),
  },
  { title: 'Tool', field: 'tool' },
  {
    title: 'Severity',
    field: 'severity',
    render: r => <SeverityChip severity={r.severity} />,
  },
  { title: 'Open', field: 'open', type: 'numeric' },
];

/**
 * The rules with the most open findings on the branch: where one fix (or one decision about a
 * rule) closes most findings.
 */
export function SastTopRules(props: SastTopRulesProps) {
  const { rules, branch } = props;
  return (
    <Table<SastRuleSummary>
      title="Top rules"
      subtitle={`The rules with most open findings on ${branch}; the severity is their most severe finding's.`}
      options={{
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
        headerStyle: { whiteSpace: 'nowrap' },
      }}
      columns={columns}
      data={rules}
      emptyContent={
        <Typography variant="body2" color="textSecondary">
          No rule has an open finding on {branch}.
        </Typography>
      }
    />
  );
}
