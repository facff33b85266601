import { useState } from 'react';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CodeSnippet,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  EntitySastResponse,
  SastSeverity,
} from '@resilience-for-backstage/plugin-resilience-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useEntitySast } from '../../hooks/useEntitySast';
import { PAGE_SIZES, SastFindingsTable } from '../SastFindingsTable';
import { SastLatestReports } from '../SastLatestReports';
import { SastScanFreshness } from '../SastScanFreshness';
import { SastSeverityCounts } from '../SastSeverityCounts';
import { SastTopRules } from '../SastTopRules';
import { SastTrendChart } from '../SastTrendChart';

/** The branch, page and severities asked for. */
interface SastView {
  /** Undefined: the backend's choice, a default branch first. */
  branch?: string;
  offset: number;
  limit: number;
  severities: SastSeverity[];
}

/** How to upload from CI, for an entity that never had a report. */
function NothingUploaded(props: { entityRef: CompoundEntityRef }) {
  const ref = stringifyEntityRef(props.entityRef);
  const command = [
    'gzip -c results.sarif | curl --fail-with-body -X POST \\',
    `  "$BACKSTAGE_URL/api/resilience/sast/reports?entityRef=${ref}&branch=$BRANCH&commit=$COMMIT_SHA" \\`,
    '  -H "Authorization: Bearer $RESILIENCE_CI_TOKEN" \\',
    '  -H "Content-Type: application/sarif+json" -H "Content-Encoding: gzip" \\',
    '  --data-binary @-',
  ].join('\n');
  return (
    <EmptyState
      missing="data"
      title="No SAST report uploaded"
      description={`No SARIF report was ever uploaded for ${ref}, so nothing is known of its code security. Have CI upload the SARIF log of each scan (CodeQL, Semgrep, Trivy, ...) with POST /api/resilience/sast/reports?entityRef=${ref}; the section "SAST uploads" of the plugin's README says how, and which token CI needs.`}
      action={<CodeSnippet language="bash" text={command} showCopyCodeButton />}
    />
  );
}

/** Renders a loaded SAST view. */
export function CodeSecurityView(props: {
  data: EntitySastResponse;
  view: SastView;
  loading: boolean;
  onViewChange: (view: SastView) => void;
}) {
  const { data, view, loading, onViewChange } = props;
  const branch = data.branch!;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <SastSeverityCounts
          counts={data.openFindings}
          branch={branch}
          isDefaultBranch={data.isDefaultBranch}
          branches={data.branches}
          onBranchChange={b => onViewChange({ ...view, branch: b, offset: 0 })}
        />
      </Grid>
      <Grid item xs={12} md={7}>
        <SastTrendChart trend={data.trend} branch={branch} />
      </Grid>
      <Grid item xs={12} component="section" aria-label="Open findings">
        <SastFindingsTable
          findings={data.findings}
          total={data.findingsTotal}
          offset={view.offset}
          limit={view.limit}
          severities={view.severities}
          counts={data.openFindings}
          branch={branch}
          generatedAt={data.generatedAt}
          loading={loading}
          onPageChange={page => onViewChange({ ...view, ...page })}
          onSeveritiesChange={severities =>
            onViewChange({ ...view, severities, offset: 0 })
          }
        />
      </Grid>
      <Grid item xs={12} md={6} component="section" aria-label="Top rules">
        <SastTopRules rules={data.topRules} branch={branch} />
      </Grid>
      <Grid item xs={12} md={6} component="section" aria-label="Scan freshness">
        <SastScanFreshness
          tools={data.tools}
          policy={data.policy}
          branch={branch}
        />
      </Grid>
      <Grid item xs={12} component="section" aria-label="Latest reports">
        <SastLatestReports
          reports={data.latestReports}
          branch={branch}
          generatedAt={data.generatedAt}
        />
      </Grid>
    </Grid>
  );
}

/**
 * The entity's code security from its uploaded SARIF reports: open findings by severity and over
 * time, the paged findings, the top rules, and how recently each tool scanned; on one branch,
 * a default branch unless another is chosen.
 */
export function EntityCodeSecurity(props: { entityRef: CompoundEntityRef }) {
  const { entityRef } = props;
  const [view, setView] = useState<SastView>({
    offset: 0,
    limit: PAGE_SIZES[0],
    severities: [],
  });
  const { value, loading, error } = useEntitySast(entityRef, view);
  // While the next page loads, the data shown stays, so that the table does not jump.
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} title="Code security" />;
  }
  if (!value) return null;
  if (value.branch === undefined) {
    return <NothingUploaded entityRef={entityRef} />;
  }
  return (
    <>
      <Typography variant="h5" component="h2" gutterBottom>
        Code security
      </Typography>
      <CodeSecurityView
        data={value}
        view={view}
        loading={loading}
        onViewChange={setView}
      />
    </>
  );
}
