import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KUBERNETES_ID,
  EntityResilienceResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useEntityResilience } from '../../hooks/useEntityResilience';
import { BackupPolicyCard } from '../BackupPolicyCard';
import { BackupTimeline } from '../BackupTimeline';
import { CertificateExpiryTimeline } from '../CertificateExpiryTimeline';
import { CertificateTable } from '../CertificateTable';
import { ChecksCard } from '../ChecksCard';
import { CollectionStatusNotice } from '../CollectionStatusNotice';
import { EntityCodeSecurity } from '../EntityCodeSecurity';
import { EntityScorecard } from '../EntityScorecard';
import { IncidentCard } from '../EntityIncidentCard';
import { isMappedToKubernetes, KUBERNETES_ANNOTATIONS } from '../kubernetes';
import { FailedBackupsTable } from '../FailedBackupsTable';
import { LastCollected } from '../LastCollected';
import { PolicyProblemsNotice } from '../PolicyProblemsNotice';
import { PvcBackupTable } from '../PvcBackupTable';
import {
  RESTORE_TESTS_REGION,
  RestoreTestsSection,
} from '../RestoreTestsSection';
import { ScheduleTable } from '../ScheduleTable';
import { StorageLocationTable } from '../StorageLocationTable';

function selectorText(
  kubernetes: EntityResilienceResponse['kubernetes'],
): string {
  if (!kubernetes) return '';
  const selector = kubernetes.labelSelector
    ? `matches the label selector ${kubernetes.labelSelector}`
    : `carries the label ${ANNOTATION_KUBERNETES_ID}=${kubernetes.kubernetesId}`;
  return kubernetes.namespace
    ? `${selector} in namespace ${kubernetes.namespace}`
    : selector;
}

/**
 * Renders loaded resilience data: the collection notice, the checks and the policy (the answer at
 * a glance), then the evidence: volumes, the backup timeline and failures, schedules and storage
 * locations, or, without volumes, why there are none; then the restore tests, which prove that
 * the backups come back; then the certificate checks, the certificates and their expiry; then the
 * code-security checks and the findings behind them. What to do when the entity is compromised
 * comes right after the checks.
 */
export function EntityResilienceView(props: {
  data: EntityResilienceResponse;
  /** The entity the data is of. */
  entityRef: CompoundEntityRef;
  /** Loads the data again, for example once a certificate was renewed. */
  onRefresh?: () => void;
}) {
  const { data, entityRef, onRefresh } = props;
  const { policy } = data;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <CollectionStatusNotice collection={data.collection} />
      </Grid>
      {policy.problems.length > 0 && (
        <Grid item xs={12}>
          <PolicyProblemsNotice policy={policy} />
        </Grid>
      )}
      <Grid item xs={12} md={8} component="section" aria-label="Backup checks">
        <ChecksCard
          title="Backup checks"
          checks={data.checks}
          emptyText="No backup checks were computed for this entity."
        />
      </Grid>
      <Grid item xs={12} md={4} component="section" aria-label="Backup policy">
        <BackupPolicyCard policy={policy} />
      </Grid>
      <Grid item xs={12}>
        <IncidentCard entityRef={entityRef} />
      </Grid>
      {data.pvcs.length === 0 ? (
        <Grid item xs={12}>
          <EmptyState
            missing="data"
            title="No persistent volume claims"
            description={`No persistent volume claim in the collected clusters ${selectorText(
              data.kubernetes,
            )}. If the service keeps data on volumes, label its claims the same way as its workloads.`}
          />
        </Grid>
      ) : (
        <>
          <Grid
            item
            xs={12}
            component="section"
            aria-label="Persistent volumes"
          >
            <PvcBackupTable pvcs={data.pvcs} rpoSeconds={policy.rpoSeconds} />
          </Grid>
          <Grid item xs={12} component="section" aria-label="Backup timeline">
            <BackupTimeline
              backups={data.backups}
              policy={policy}
              generatedAt={data.generatedAt}
            />
          </Grid>
          <Grid item xs={12} component="section" aria-label="Failed backups">
            <FailedBackupsTable
              backups={data.backups}
              retentionSeconds={policy.retentionSeconds}
            />
          </Grid>
          <Grid item xs={12} component="section" aria-label="Schedules">
            <ScheduleTable
              schedules={data.schedules}
              rpoSeconds={policy.rpoSeconds}
              retentionSeconds={policy.retentionSeconds}
              generatedAt={data.generatedAt}
            />
          </Grid>
          <Grid item xs={12} component="section" aria-label="Storage locations">
            <StorageLocationTable
              storageLocations={data.storageLocations}
              generatedAt={data.generatedAt}
            />
          </Grid>
        </>
      )}
      <Grid item xs={12} component="section" aria-label={RESTORE_TESTS_REGION}>
        <RestoreTestsSection
          entityRef={entityRef}
          recoveryChecks={data.recoveryChecks}
          onTestsChanged={onRefresh}
        />
      </Grid>
      {data.certificateChecks.length > 0 && (
        <Grid item xs={12} component="section" aria-label="Certificate checks">
          <ChecksCard
            title="Certificate checks"
            checks={data.certificateChecks}
            emptyText="No certificate checks were computed for this entity."
          />
        </Grid>
      )}
      <Grid item xs={12} component="section" aria-label="Certificates">
        <CertificateTable
          certificates={data.certificates}
          policy={data.certificatePolicy}
          generatedAt={data.generatedAt}
          entityRef={entityRef}
          onRenewalFinished={onRefresh}
        />
      </Grid>
      {data.certificates.length > 0 && (
        <Grid item xs={12} component="section" aria-label="Certificate expiry">
          <CertificateExpiryTimeline
            certificates={data.certificates}
            policy={data.certificatePolicy}
            generatedAt={data.generatedAt}
          />
        </Grid>
      )}
      {data.codeSecurityChecks.length > 0 && (
        <Grid
          item
          xs={12}
          component="section"
          aria-label="Code security checks"
        >
          <ChecksCard
            title="Code security checks"
            checks={data.codeSecurityChecks}
            emptyText="No code-security checks were computed for this entity."
          />
        </Grid>
      )}
      <Grid item xs={12} component="section" aria-label="Code security">
        <EntityCodeSecurity entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <LastCollected collection={data.collection} />
      </Grid>
    </Grid>
  );
}

/** The name of the scorecard's region, at the top of the tab. */
export const SCORECARD_REGION = 'Scorecard';

/**
 * The content of the Resilience tab for the entity in context: its scorecard first, the answer
 * at a glance, loaded on its own so that either part can fail alone, then the evidence.
 *
 * @public
 */
export function EntityResilienceContent() {
  const { entity } = useEntity();
  if (!isMappedToKubernetes(entity)) {
    return <MissingAnnotationEmptyState annotation={KUBERNETES_ANNOTATIONS} />;
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} component="section" aria-label={SCORECARD_REGION}>
        <Typography variant="h5" component="h2" gutterBottom>
          {SCORECARD_REGION}
        </Typography>
        <EntityScorecard entityRef={getCompoundEntityRef(entity)} />
      </Grid>
      <Grid item xs={12}>
        <LoadedEntityResilience />
      </Grid>
    </Grid>
  );
}

function LoadedEntityResilience() {
  const { entity } = useEntity();
  const entityRef = getCompoundEntityRef(entity);
  const { value, loading, error, retry } = useEntityResilience(entityRef);
  // While loading again, the data shown stays, so that an open dialog is not torn down.
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return value ? (
    <EntityResilienceView
      data={value}
      entityRef={entityRef}
      onRefresh={retry}
    />
  ) : null;
}
