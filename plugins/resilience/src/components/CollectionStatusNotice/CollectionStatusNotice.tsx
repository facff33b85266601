import { SourceCollectionStatus } from '@resilience-for-backstage/plugin-resilience-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { formatTime } from '../format';

/** Properties of {@link CollectionStatusNotice}. */
export interface CollectionStatusNoticeProps {
  collection: SourceCollectionStatus[];
}

const STATE_TEXT: Record<SourceCollectionStatus['state'], string> = {
  ok: 'collected',
  pending: 'not collected yet',
  'not-installed': 'not installed in the cluster',
  forbidden: 'not readable with the configured credentials',
  error: 'could not be read',
};

function describe(status: SourceCollectionStatus): string {
  const since = status.lastSuccessAt
    ? `; showing what was collected at ${formatTime(status.lastSuccessAt)}`
    : '';
  return `${status.cluster}: ${status.source} ${
    STATE_TEXT[status.state]
  }${since}${status.message ? ` — ${status.message}` : ''}`;
}

/**
 * Says which clusters and sources could not be collected, so that what the tab shows is never
 * mistaken for complete; renders nothing when every source is fine.
 */
export function CollectionStatusNotice(props: CollectionStatusNoticeProps) {
  const problems = props.collection.filter(s => s.state !== 'ok');
  if (problems.length === 0) {
    return null;
  }
  const onlyPending = problems.every(s => s.state === 'pending');
  return (
    <Alert severity={onlyPending ? 'info' : 'warning'}>
      <AlertTitle>
        {onlyPending
          ? 'Collection has not finished yet'
          : 'Some data could not be collected; what is shown may be incomplete or stale'}
      </AlertTitle>
      <ul>
        {problems.map(status => (
          <li key={`${status.cluster}/${status.source}`}>{describe(status)}</li>
        ))}
      </ul>
    </Alert>
  );
}
