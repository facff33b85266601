import { SourceCollectionStatus } from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { formatTime } from '../format';

/**
 * When each cluster was last collected completely: the oldest last success among its sources,
 * since what is shown is only as fresh as its stalest part.
 */
export function LastCollected(props: { collection: SourceCollectionStatus[] }) {
  const clusters = [...new Set(props.collection.map(s => s.cluster))];
  if (clusters.length === 0) {
    return null;
  }
  const parts = clusters.map(cluster => {
    const sources = props.collection.filter(s => s.cluster === cluster);
    const times = sources.map(s => s.lastSuccessAt);
    if (times.some(t => t === undefined)) {
      return `${cluster} not completely yet`;
    }
    const oldest = (times as string[]).reduce((a, b) => (a < b ? a : b));
    return `${cluster} at ${formatTime(oldest)}`;
  });
  return (
    <Typography variant="caption" color="textSecondary" component="p">
      Last collected: {parts.join('; ')}
    </Typography>
  );
}
