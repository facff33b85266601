import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  EntityResilienceResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import Grid from '@material-ui/core/Grid';
import { useEntityResilience } from '../../hooks/useEntityResilience';
import { CollectionStatusNotice } from '../CollectionStatusNotice';
import { LastCollected } from '../LastCollected';
import { PvcBackupTable } from '../PvcBackupTable';

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

/** Renders loaded resilience data: the collection notice and the volumes, or why there are none. */
export function EntityResilienceView(props: {
  data: EntityResilienceResponse;
}) {
  const { data } = props;
  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <CollectionStatusNotice collection={data.collection} />
      </Grid>
      <Grid item>
        {data.pvcs.length === 0 ? (
          <EmptyState
            missing="data"
            title="No persistent volume claims"
            description={`No persistent volume claim in the collected clusters ${selectorText(
              data.kubernetes,
            )}. If the service keeps data on volumes, label its claims the same way as its workloads.`}
          />
        ) : (
          <PvcBackupTable
            pvcs={data.pvcs}
            rpoSeconds={data.policy.rpoSeconds}
          />
        )}
      </Grid>
      <Grid item>
        <LastCollected collection={data.collection} />
      </Grid>
    </Grid>
  );
}

/**
 * The content of the Resilience tab for the entity in context.
 *
 * @public
 */
export function EntityResilienceContent() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const mapped =
    Boolean(annotations[ANNOTATION_KUBERNETES_ID]) ||
    Boolean(annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]);
  if (!mapped) {
    return (
      <MissingAnnotationEmptyState
        annotation={[
          ANNOTATION_KUBERNETES_ID,
          ANNOTATION_KUBERNETES_LABEL_SELECTOR,
        ]}
      />
    );
  }
  return <LoadedEntityResilience />;
}

function LoadedEntityResilience() {
  const { entity } = useEntity();
  const { value, loading, error } = useEntityResilience(
    getCompoundEntityRef(entity),
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return value ? <EntityResilienceView data={value} /> : null;
}
