import { setTimeout as sleep } from 'node:timers/promises';
import { KubeCredentials, kubeJson } from './kube';

/** One measured change of a backup of the measured entity. */
export interface FreshnessRun {
  /** From the Backup's create (answered) until the entity's view listed it `InProgress`. */
  createdMs: number;
  /** From its turn to `Completed` (answered) until the entity's score measured its recovery point. */
  completedMs: number;
  /**
   * The entities the backend evaluated again for the run's changes (the backup's create, its
   * snapshot contents and its turn), until it was at rest after them, and how many it scored in
   * each of those scorings; absent when the backend's log was not read.
   */
  evaluations?: Evaluations;
}

/** What the backend's scorings did, as its log says. */
export interface Evaluations {
  /** The scorings of every entity that ran. */
  scorings: number;
  /** The entities evaluated, over all of them. */
  evaluated: number;
  /** The most entities one of them scored (evaluated or served unchanged). */
  scored: number;
}

const SCORED_LINE = /Scored (\d+) entities \((\d+) evaluated/g;

/** The scorings a part of the backend's log reports (`ScoreKeeper.recomputeAll`'s line). */
export function evaluationsIn(log: string): Evaluations {
  const found: Evaluations = { scorings: 0, evaluated: 0, scored: 0 };
  for (const match of log.matchAll(SCORED_LINE)) {
    found.scorings += 1;
    found.evaluated += Number(match[2]);
    found.scored = Math.max(found.scored, Number(match[1]));
  }
  return found;
}

const iso = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z');

const SNAPSHOT_CONTENTS =
  '/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents';

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
  };
  spec: Record<string, unknown>;
  status?: unknown;
}

interface BackupOfView {
  name: string;
  namespace: string;
  phase: string;
}

interface ViewBody {
  backups?: BackupOfView[];
  pvcs?: Array<{ lastGoodBackup?: BackupOfView | null }>;
  collection?: Array<{ source: string; itemCount?: number }>;
}

/** How many objects of `source` the view's collection status says the latest listing had. */
export function listedCount(view: ViewBody, source: string): number {
  return (view.collection ?? [])
    .filter(c => c.source === source)
    .reduce((sum, c) => sum + (c.itemCount ?? 0), 0);
}

interface ScoreBody {
  pillars?: Array<{
    checks?: Array<{ id: string; state: string; value?: number }>;
  }>;
}

/** The `backup.rpo` check's value (seconds since the last good backup's recovery point). */
export function rpoSecondsOf(score: ScoreBody): number | undefined {
  for (const pillar of score.pillars ?? []) {
    const check = pillar.checks?.find(c => c.id === 'backup.rpo');
    if (check) return check.value;
  }
  return undefined;
}

/**
 * The backup to copy: the one that gives the entity's claims their recovery point (a claim's
 * last good backup, which captured its data), so that a copy of it, with copies of its
 * snapshot contents, moves the recovery point. The newest completed backup may be one of the
 * objects alone (an hourly schedule without volumes), whose copy would move nothing. The newest
 * completed backup when the entity has no claim with one.
 */
export function templateBackupOf(view: ViewBody): BackupOfView | undefined {
  return (
    view.pvcs?.map(p => p.lastGoodBackup).find(b => b) ??
    view.backups?.find(b => b.phase === 'Completed')
  );
}

/** The phase the view lists the backup `name` in, if it lists it. */
export function phaseInView(view: ViewBody, name: string): string | undefined {
  return view.backups?.find(b => b.name === name)?.phase;
}

/**
 * Measures how soon a change in the cluster reaches the entity's stored result, `runs` times: a
 * copy of the backup its claims' recovery point comes from (`templateBackupOf`; same labels and
 * spec) is created `InProgress`, as Velero
 * starts one, and once the entity's view lists it, copies of that backup's snapshot contents
 * are made for it, ready, and once they are collected it turns `Completed`, as Velero ends one. The
 * second figure ends when the entity's score measures the recovery point of the new backup (its
 * `backup.rpo` value is younger than the backup), which no earlier backup can give.
 */
export async function measureFreshness(options: {
  kube: KubeCredentials;
  /** GETs a route of the backend: its status and parsed body. */
  get: (path: string) => Promise<unknown>;
  entityPath: string;
  runs: number;
  /** Resolves once the backend is at rest: what each step set off has been done. */
  atRest: () => Promise<void>;
  /** The backend's log written since `mark` (a size `mark()` returned before). */
  backendLog?: { mark: () => number; since: (mark: number) => string };
  timeoutMs?: number;
  log?: (message: string) => void;
}): Promise<FreshnessRun[]> {
  const { kube, get, entityPath } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const view = (await get(entityPath)) as ViewBody;
  const newest = templateBackupOf(view);
  if (!newest) throw new Error(`${entityPath} lists no completed backup`);
  const collection = `/apis/velero.io/v1/namespaces/${newest.namespace}/backups`;
  const template = await kubeJson<KubeObject>(kube, {
    path: `${collection}/${newest.name}`,
  });
  const contents = await kubeJson<{ items: KubeObject[] }>(kube, {
    path: `${SNAPSHOT_CONTENTS}?labelSelector=${encodeURIComponent(
      `velero.io/backup-name=${newest.name}`,
    )}`,
  });
  const until = async (what: string, done: () => Promise<boolean>) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) {
        throw new Error(`${what} not within ${timeoutMs / 1000} s`);
      }
      await sleep(50);
    }
    return Date.now();
  };
  const results: FreshnessRun[] = [];
  await options.atRest();
  for (let run = 1; run <= options.runs; run++) {
    const name = `bench-freshness-${Date.now()}-${run}`;
    const logMark = options.backendLog?.mark();
    const startedAt = new Date();
    await kubeJson(kube, {
      method: 'POST',
      path: collection,
      body: {
        apiVersion: template.apiVersion,
        kind: template.kind,
        metadata: {
          name,
          namespace: template.metadata.namespace,
          labels: template.metadata.labels,
        },
        spec: template.spec,
        status: { phase: 'InProgress', startTimestamp: iso(startedAt) },
      },
    });
    const created = Date.now();
    const seen = await until(
      `the view listing ${name} InProgress`,
      async () =>
        phaseInView((await get(entityPath)) as ViewBody, name) === 'InProgress',
    );
    // Velero snapshots the volumes before it ends the backup: a copy of each snapshot content of
    // the newest backup, for the new one, ready; collected before the backup ends, so that the
    // figure below is the backup's turn alone.
    const contentsBefore = listedCount(
      (await get(entityPath)) as ViewBody,
      'volume-snapshot-contents',
    );
    for (const content of contents.items) {
      const copy = `${content.metadata.name}-${run}-${Date.now()}`;
      await kubeJson(kube, {
        method: 'POST',
        path: SNAPSHOT_CONTENTS,
        body: {
          apiVersion: content.apiVersion ?? 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshotContent',
          metadata: {
            name: copy,
            labels: {
              ...content.metadata.labels,
              'velero.io/backup-name': name,
            },
          },
          spec: {
            ...content.spec,
            volumeSnapshotRef: {
              ...(content.spec.volumeSnapshotRef as object),
              name: `${name}-${content.metadata.name}`.slice(0, 63),
            },
          },
        },
      });
      await kubeJson(kube, {
        method: 'PATCH',
        path: `${SNAPSHOT_CONTENTS}/${copy}/status`,
        contentType: 'application/merge-patch+json',
        body: {
          status: {
            ...(content.status as object),
            readyToUse: true,
            creationTime: Date.now() * 1_000_000,
          },
        },
      });
    }
    await until(
      `the snapshot contents of ${name} collected`,
      async () =>
        listedCount(
          (await get(entityPath)) as ViewBody,
          'volume-snapshot-contents',
        ) >=
        contentsBefore + contents.items.length,
    );
    // And the scoring those changes set off is over: the turn below starts at rest.
    await options.atRest();
    const completedAt = new Date();
    const ttlMs = 30 * 24 * 3_600_000;
    await kubeJson(kube, {
      method: 'PATCH',
      path: `${collection}/${name}`,
      contentType: 'application/merge-patch+json',
      body: {
        status: {
          phase: 'Completed',
          completionTimestamp: iso(completedAt),
          expiration: iso(new Date(startedAt.getTime() + ttlMs)),
        },
      },
    });
    const completed = Date.now();
    const scored = await until(
      `the score measuring the recovery point of ${name}`,
      async () => {
        const rpo = rpoSecondsOf(
          (await get(`${entityPath}/score`)) as ScoreBody,
        );
        // Younger than the new backup: only it can be the last good one.
        return (
          rpo !== undefined &&
          rpo * 1000 <= Date.now() - startedAt.getTime() + 1000
        );
      },
    );
    let evaluations: Evaluations | undefined;
    if (options.backendLog && logMark !== undefined) {
      // What the turn set off, to its end.
      await options.atRest();
      evaluations = evaluationsIn(options.backendLog.since(logMark));
    }
    results.push({
      createdMs: seen - created,
      completedMs: scored - completed,
      ...(evaluations ? { evaluations } : {}),
    });
    options.log?.(
      `freshness run ${run}/${options.runs}: listed ${
        seen - created
      } ms after its create, scored ${scored - completed} ms after Completed${
        evaluations
          ? `; ${evaluations.evaluated} entities evaluated in ${evaluations.scorings} scorings of ${evaluations.scored}`
          : ''
      }`,
    );
  }
  return results;
}
