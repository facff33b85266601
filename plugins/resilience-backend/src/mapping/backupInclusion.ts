import { PodFact, PvcFact } from '../database/types';
import {
  BackupInclusion,
  StoredBackupSelection,
} from '../database/ResilienceStore';
import { pvcInclusion } from './backupCoverage';

/**
 * The claims that each backup selection of a cluster includes, by Velero's rules
 * ({@link pvcInclusion}: namespaces with their globs, resource filters, label selectors and
 * `orLabelSelectors`, the exclude label, and the pods that mount a claim), judged against the
 * claims and pods as they are now. Backups of one schedule share a selection, so this is computed
 * once per selection, not once per backup.
 */
export function backupInclusion(options: {
  selections: StoredBackupSelection[];
  claims: PvcFact[];
  /** The pods of the claims' namespaces (others are ignored). */
  pods: PodFact[];
}): BackupInclusion[] {
  const podsByNamespace = new Map<string, PodFact[]>();
  for (const pod of options.pods) {
    const list = podsByNamespace.get(pod.namespace);
    if (list) list.push(pod);
    else podsByNamespace.set(pod.namespace, [pod]);
  }
  const rows: BackupInclusion[] = [];
  for (const { key, selection } of options.selections) {
    for (const claim of options.claims) {
      const inclusion = pvcInclusion({
        selection,
        claim,
        pods: podsByNamespace.get(claim.namespace) ?? [],
      });
      if (inclusion) {
        rows.push({
          selectionKey: key,
          namespace: claim.namespace,
          name: claim.name,
          throughPod: inclusion.through === 'pod' ? inclusion.pod : undefined,
        });
      }
    }
  }
  return rows;
}
