/*
 * What the known-good marks and the incident view must say, computed from what the demo
 * uploaded (the SARIF logs and their plan, as written by the generator) and from the cluster as
 * read with client-node, by the tests' own replay of the SAST history.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoSastUpload } from '../generator';
import { BackupMark, markAt, openPeriods, ReplayLog } from '../sast/replay';
import {
  byVeleroRecency,
  ClusterSnapshot,
  claimsOf,
  includesClaim,
} from './expectations';

/** The demo's uploads, in the order they were made, with their logs. */
export function readSastPlan(
  sarifDir: string,
): Array<DemoSastUpload & { log: ReplayLog }> {
  const plan = JSON.parse(
    readFileSync(join(sarifDir, 'plan.json'), 'utf8'),
  ) as { uploads: DemoSastUpload[] };
  return plan.uploads.map(upload => ({
    ...upload,
    log: JSON.parse(readFileSync(join(sarifDir, upload.file), 'utf8')),
  }));
}

export interface ExpectedSecurity {
  /** Every backup that includes a claim of the entity, by name. */
  marks: Map<
    string,
    { mark: BackupMark; openCritical: number; openHigh: number }
  >;
  /** The newest Completed backup of its claims that is known-good; undefined when none. */
  latestKnownGood?: string;
  /** The Completed, vulnerable backups started after it, newest first. */
  vulnerableSince: string[];
}

export function expectedSecurity(options: {
  entityRef: string;
  annotations: Record<string, string>;
  cluster: ClusterSnapshot;
  uploads: Array<DemoSastUpload & { log: ReplayLog }>;
}): ExpectedSecurity {
  const { cluster } = options;
  const replayed = openPeriods(
    options.uploads.filter(u => u.entityRef === options.entityRef),
  );
  const claims = claimsOf(options.annotations, cluster);
  const backups = cluster.backups.filter(b =>
    claims.some(p => includesClaim(b, p, cluster)),
  );
  const marks = new Map(
    backups.map(b => [
      b.metadata.name,
      b.status?.startTimestamp
        ? markAt(Date.parse(b.status.startTimestamp), replayed)
        : { mark: 'unknown' as const, openCritical: 0, openHigh: 0 },
    ]),
  );
  const completed = backups
    .filter(
      b => b.status?.phase === 'Completed' && b.status.completionTimestamp,
    )
    .sort(byVeleroRecency);
  const good = completed.find(
    b => marks.get(b.metadata.name)?.mark === 'known-good',
  );
  const goodStart = good?.status?.startTimestamp ?? '';
  return {
    marks,
    latestKnownGood: good?.metadata.name,
    vulnerableSince: completed
      .filter(
        b =>
          marks.get(b.metadata.name)?.mark === 'vulnerable' &&
          (b.status?.startTimestamp ?? '') > goodStart,
      )
      .sort((a, b) =>
        b.status!.startTimestamp!.localeCompare(a.status!.startTimestamp!),
      )
      .map(b => b.metadata.name),
  };
}
