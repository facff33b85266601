import {
  BackupCheckId,
  backupOrderTime,
  CheckEvidence,
  CheckResult,
  CheckState,
  CollectionSource,
  CoverageState,
  OrderableBackup,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  BackupFact,
  PvcFact,
  ScheduleFact,
  StorageLocationFact,
} from '../database/types';
import { largestCronInterval } from './cron';
import { FlipTimes } from './flips';
import { formatDuration, parseGoDuration } from './durations';
import { ResolvedPolicy } from './policy';

/** What is known of one claim of the entity. */
export interface ClaimFacts {
  pvc: PvcFact;
  coverage: CoverageState;
  /** Why the claim has this coverage, naming the evidence. */
  reason: string;
  /** The newest `Completed` backup that includes the claim and captured its data. */
  lastGood?: BackupFact;
  /**
   * The Schedules of the claim's cluster whose template includes the claim, each with whether
   * its file-system backup takes the claim's volume (from the pods' annotations); undefined when
   * the pods are not known, and then `defaultVolumesToFsBackup` alone decides.
   */
  schedules: Array<ScheduleFact & { fileSystemBackup?: boolean }>;
}

/** Everything the backup checks of one entity read; no I/O happens inside them. */
export interface BackupCheckInput {
  now: Date;
  /** Told when a verdict would change as the clock moves on. */
  flips?: FlipTimes;
  policy: ResolvedPolicy;
  claims: ClaimFacts[];
  /** The storage locations of the claims' clusters. */
  storageLocations: StorageLocationFact[];
  /**
   * Per cluster, the latest finished backups (at most the policy's `recentBackups`) that include
   * one of the entity's claims, newest first.
   */
  recentBackups: BackupFact[];
  /** Whether a source of a cluster was ever listed completely; unknown is never a pass. */
  collected: (cluster: string, source: CollectionSource) => boolean;
  /**
   * The clusters whose claims were never listed although the entity maps to Kubernetes objects:
   * it may have claims there that nothing above shows. Empty or absent when all were listed.
   */
  claimsUnlistedIn?: string[];
}

type Outcome = Exclude<CheckState, 'not-applicable'>;

interface ClaimOutcome {
  state: Outcome | 'not-applicable';
  note: string;
  evidence?: CheckEvidence[];
}

/** Worst first: a known failure outranks what is unknown, and unknown outranks a warning. */
const SEVERITY: Record<Outcome, number> = {
  fail: 3,
  unknown: 2,
  warn: 1,
  pass: 0,
};

/** Backup phases after which Velero does no more work on a backup. */
const FINISHED = new Set([
  'Completed',
  'PartiallyFailed',
  'Failed',
  'FailedValidation',
]);

/** Whether a backup has finished; only finished backups count as recent runs. */
export function isFinished(backup: BackupFact): boolean {
  return FINISHED.has(backup.phase);
}

const pvcEvidence = (pvc: PvcFact, note?: string): CheckEvidence => ({
  kind: 'pvc',
  cluster: pvc.cluster,
  namespace: pvc.namespace,
  name: pvc.name,
  note,
});

const backupEvidence = (backup: BackupFact, note?: string): CheckEvidence => ({
  kind: 'backup',
  cluster: backup.cluster,
  namespace: backup.namespace,
  name: backup.name,
  note,
});

const scheduleEvidence = (
  schedule: ScheduleFact,
  note?: string,
): CheckEvidence => ({
  kind: 'schedule',
  cluster: schedule.cluster,
  namespace: schedule.namespace,
  name: schedule.name,
  note,
});

const claimName = (pvc: PvcFact) =>
  `${pvc.cluster}/${pvc.namespace}/${pvc.name}`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `Each of the 2 claims has`, `The claim has`. */
const allClaims = (total: number, verb: 'has' | 'is') =>
  total === 1 ? `The claim ${verb}` : `Each of the ${total} claims ${verb}`;

/** `1 of 2 claims has`, `2 of 2 claims have`: the verb agrees with the first number. */
const someClaims = (n: number, total: number, verb: 'has' | 'is') =>
  `${n} of ${plural(total, 'claim')} ${
    n === 1 ? verb : { has: 'have', is: 'are' }[verb]
  }`;

/**
 * Folds the outcomes of every claim into one result: the worst state wins, and the message lists
 * the claims in that state with what each says.
 */
function fold(options: {
  id: BackupCheckId;
  title: string;
  claims: ClaimFacts[];
  outcomes: ClaimOutcome[];
  passed: string;
  headline: (state: Outcome, count: number, total: number) => string;
  value?: number;
  threshold?: number;
  unit?: CheckResult['unit'];
  bound?: CheckResult['bound'];
  notApplicable?: string;
}): CheckResult {
  const { id, title, claims, outcomes } = options;
  const judged = outcomes.filter(
    (o): o is ClaimOutcome & { state: Outcome } => o.state !== 'not-applicable',
  );
  const base = { id, title, unit: options.unit, bound: options.bound };
  if (judged.length === 0) {
    return {
      ...base,
      state: 'not-applicable',
      message:
        options.notApplicable ??
        'The entity has no persistent volume claims, so there is nothing to back up.',
      evidence: [],
    };
  }
  const state = judged.reduce<Outcome>(
    (worst, o) => (SEVERITY[o.state] > SEVERITY[worst] ? o.state : worst),
    'pass',
  );
  const evidence = outcomes.flatMap((o, i) => [
    pvcEvidence(claims[i].pvc, o.note),
    ...(o.evidence ?? []),
  ]);
  if (state === 'pass') {
    return {
      ...base,
      state,
      value: options.value,
      threshold: options.threshold,
      message: options.passed,
      evidence,
    };
  }
  const worst = outcomes
    .map((o, i) => ({ o, pvc: claims[i].pvc }))
    .filter(({ o }) => o.state === state);
  const listed = worst
    .slice(0, 3)
    .map(({ o, pvc }) => `${claimName(pvc)}: ${o.note.replace(/\.$/, '')}`);
  if (worst.length > 3) listed.push(`and ${worst.length - 3} more`);
  return {
    ...base,
    state,
    value: options.value,
    threshold: options.threshold,
    message: `${options.headline(
      state,
      worst.length,
      judged.length,
    )}. ${listed.join('; ')}.`,
    evidence,
  };
}

function neverCollected(
  input: BackupCheckInput,
  cluster: string,
  sources: CollectionSource[],
): ClaimOutcome | undefined {
  const missing = sources.filter(s => !input.collected(cluster, s));
  return missing.length
    ? {
        state: 'unknown',
        note: `${missing.join(' and ')} of cluster ${cluster} ${
          missing.length === 1 ? 'has' : 'have'
        } never been collected`,
      }
    : undefined;
}

const seconds = (ms: number) => Math.round(ms / 1000);

/**
 * How old the data of a backup is at `now`, in ms: counted from its `startTimestamp`, since Velero
 * captures the data after it starts and a backup that ran for hours holds data as old as its
 * start; from its `creationTimestamp` when it has no start (earlier still, so never younger than
 * the truth). Undefined when it has neither: its completion would understate the age. Takes facts
 * and the API's summaries alike.
 */
export function recoveryPointAge(
  backup: OrderableBackup,
  now: Date,
): number | undefined {
  const from = backupOrderTime(backup);
  return from === undefined ? undefined : Math.max(0, now.getTime() - from);
}

/** {@link recoveryPointAge} in whole seconds, null when it cannot be told, as the API shows it. */
export function recoveryPointAgeSeconds(
  backup: OrderableBackup,
  now: Date,
): number | null {
  const age = recoveryPointAge(backup, now);
  return age === undefined ? null : Math.floor(age / 1000);
}

/** `started 26 h ago, completed 20 h ago`: both times a recovery point's age rests on. */
function backupTimes(backup: BackupFact, now: Date): string {
  const ago = (at: Date) =>
    `${formatDuration(Math.max(0, now.getTime() - at.getTime()))} ago`;
  const started = backup.startedAt
    ? `started ${ago(backup.startedAt)}`
    : `no start time, created ${
        backup.createdAt ? ago(backup.createdAt) : 'at an unknown time'
      }`;
  return `${started}, completed ${
    backup.completedAt ? ago(backup.completedAt) : 'at an unknown time'
  }`;
}

/** The largest (or smallest) of the claims' values; undefined when any claim's is unknown. */
function extreme(
  values: Array<number | undefined>,
  pick: (...numbers: number[]) => number,
): number | undefined {
  return values.some(v => v === undefined)
    ? undefined
    : pick(...(values as number[]));
}

function coverageCheck(input: BackupCheckInput): CheckResult {
  const outcomes = input.claims.map(
    (claim): ClaimOutcome =>
      neverCollected(input, claim.pvc.cluster, ['velero-backups']) ?? {
        state: claim.coverage === 'not-covered' ? 'fail' : 'pass',
        note: claim.reason,
        evidence: claim.lastGood ? [backupEvidence(claim.lastGood)] : [],
      },
  );
  const count = (state: CoverageState) =>
    input.claims.filter(c => c.coverage === state).length;
  return fold({
    id: 'backup.pvc-coverage',
    title: 'Every volume backed up',
    claims: input.claims,
    outcomes,
    passed: `${allClaims(
      input.claims.length,
      'has',
    )} a completed backup that captured its data (${count(
      'verified',
    )} verified by a record of the volume, ${count(
      'covered',
    )} covered by the backup's own counts).`,
    headline: (state, n, total) =>
      state === 'fail'
        ? `${someClaims(
            n,
            total,
            'has',
          )} no completed backup that captured its data`
        : `The coverage of ${n} of ${plural(total, 'claim')} is unknown`,
    value: count('not-covered'),
    threshold: 0,
    unit: 'count',
    bound: 'at-most',
  });
}

function policyUnknown(
  id: BackupCheckId,
  title: string,
  input: BackupCheckInput,
): CheckResult {
  return {
    id,
    title,
    state: input.claims.length ? 'unknown' : 'not-applicable',
    message: `The entity's policy cannot be read, so this is not checked: ${input.policy.policy.problems.join(
      '; ',
    )}.`,
    evidence: [],
  };
}

function rpoCheck(input: BackupCheckInput): CheckResult {
  const id = 'backup.rpo';
  const title = 'Last good backup within RPO';
  if (!input.policy.rpoKnown) return policyUnknown(id, title, input);
  const rpoMs = input.policy.policy.rpoSeconds * 1000;
  const ages: Array<number | undefined> = [];
  const outcomes = input.claims.map((claim): ClaimOutcome => {
    const unknown = neverCollected(input, claim.pvc.cluster, [
      'velero-backups',
    ]);
    const age = claim.lastGood
      ? recoveryPointAge(claim.lastGood, input.now)
      : undefined;
    ages.push(age);
    if (unknown) return unknown;
    if (!claim.lastGood) {
      return { state: 'fail', note: 'it has no good backup at all' };
    }
    const times = backupTimes(claim.lastGood, input.now);
    input.flips?.whenAgeExceeds(backupOrderTime(claim.lastGood), rpoMs);
    if (age === undefined) {
      return {
        state: 'unknown',
        note: `its last good backup, ${claim.lastGood.name}, has no start or creation time, so the age of its data cannot be told`,
        evidence: [backupEvidence(claim.lastGood, times)],
      };
    }
    return {
      state: age > rpoMs ? 'fail' : 'pass',
      note: `the data of its last good backup, ${
        claim.lastGood.name
      }, is ${formatDuration(age)} old (${times})`,
      evidence: [backupEvidence(claim.lastGood, times)],
    };
  });
  const worstAge = extreme(ages, Math.max);
  return fold({
    id,
    title,
    claims: input.claims,
    outcomes,
    passed: `The data of every claim's last good backup is at most ${formatDuration(
      worstAge ?? 0,
    )} old (counted from the backup's start), within the RPO of ${formatDuration(
      rpoMs,
    )}.`,
    headline: (state, n, total) =>
      state === 'fail'
        ? `${someClaims(
            n,
            total,
            'has',
          )} no good backup whose data is younger than the RPO of ${formatDuration(
            rpoMs,
          )}`
        : `The age of the last good backup of ${n} of ${plural(
            total,
            'claim',
          )} is unknown`,
    value: worstAge === undefined ? undefined : seconds(worstAge),
    threshold: input.policy.policy.rpoSeconds,
    unit: 'seconds',
    bound: 'at-most',
  });
}

/** Why a schedule produces no recovery points of a claim, or undefined when it does. */
function scheduleProblem(
  schedule: ClaimFacts['schedules'][number],
): string | undefined {
  if (schedule.paused) return 'paused';
  if (schedule.phase !== 'Enabled') {
    return schedule.phase
      ? `in phase ${schedule.phase}, not Enabled`
      : 'not yet validated by Velero (no phase)';
  }
  const fileSystem =
    schedule.fileSystemBackup ?? schedule.defaultVolumesToFsBackup === true;
  if (schedule.snapshotVolumes === false && !fileSystem) {
    return "its backups capture no data of this claim (snapshotVolumes: false, and file-system backup does not take the claim's volume)";
  }
  return undefined;
}

/** The largest interval of a schedule's cron expression, or why it cannot be read. */
function intervalOf(
  schedule: ScheduleFact,
): { ms: number } | { error: string } {
  try {
    return { ms: largestCronInterval(schedule.schedule) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function scheduleCheck(input: BackupCheckInput): CheckResult {
  const id = 'backup.schedule';
  const title = 'Scheduled within RPO';
  if (!input.policy.rpoKnown) return policyUnknown(id, title, input);
  const rpoMs = input.policy.policy.rpoSeconds * 1000;
  const best: Array<number | undefined> = [];
  const outcomes = input.claims.map((claim): ClaimOutcome => {
    const unknown = neverCollected(input, claim.pvc.cluster, [
      'velero-schedules',
    ]);
    const judged = claim.schedules.map(schedule => ({
      schedule,
      problem: scheduleProblem(schedule),
      interval: intervalOf(schedule),
    }));
    const running = judged.filter(j => !j.problem && 'ms' in j.interval);
    const intervals = running.map(j => (j.interval as { ms: number }).ms);
    best.push(intervals.length ? Math.min(...intervals) : undefined);
    if (unknown) return unknown;
    const evidence = judged.map(j =>
      scheduleEvidence(
        j.schedule,
        j.problem ??
          ('error' in j.interval
            ? j.interval.error
            : `runs at most every ${formatDuration(j.interval.ms)}`),
      ),
    );
    const good = running.find(j => (j.interval as { ms: number }).ms <= rpoMs);
    if (good) {
      return {
        state: 'pass',
        note: `schedule ${
          good.schedule.name
        } runs at most every ${formatDuration(
          (good.interval as { ms: number }).ms,
        )}`,
        evidence,
      };
    }
    if (judged.length === 0) {
      return {
        state: 'fail',
        note: 'no schedule includes it',
        evidence,
      };
    }
    if (running.length > 0) {
      return {
        state: 'fail',
        note: `its most frequent schedule, ${
          running[intervals.indexOf(Math.min(...intervals))].schedule.name
        }, leaves up to ${formatDuration(Math.min(...intervals))} between runs`,
        evidence,
      };
    }
    return {
      state: 'fail',
      note: `no running schedule includes it: ${judged
        .map(
          j =>
            `${j.schedule.name} is ${
              j.problem ??
              `unreadable (${(j.interval as { error: string }).error})`
            }`,
        )
        .join(', ')}`,
      evidence,
    };
  });
  const worst = extreme(best, Math.max);
  return fold({
    id,
    title,
    claims: input.claims,
    outcomes,
    passed: `Every claim is included by an enabled schedule that runs at least every ${formatDuration(
      rpoMs,
    )} (the RPO).`,
    headline: (state, n, total) =>
      state === 'fail'
        ? `${someClaims(
            n,
            total,
            'is',
          )} not included by an enabled schedule that runs within the RPO of ${formatDuration(
            rpoMs,
          )}`
        : `The schedules of ${someClaims(n, total, 'is')} unknown`,
    value: worst === undefined ? undefined : seconds(worst),
    threshold: input.policy.policy.rpoSeconds,
    unit: 'seconds',
    bound: 'at-most',
  });
}

function retentionCheck(input: BackupCheckInput): CheckResult {
  const id = 'backup.retention';
  const title = 'Backups kept long enough';
  if (!input.policy.retentionKnown) return policyUnknown(id, title, input);
  const retentionMs = input.policy.policy.retentionSeconds * 1000;
  const ttls: Array<number | undefined> = [];
  const outcomes = input.claims.map((claim): ClaimOutcome => {
    const unknown = neverCollected(input, claim.pvc.cluster, [
      'velero-backups',
      'velero-schedules',
    ]);
    let ttl: number | undefined;
    let source: string;
    let evidence: CheckEvidence[] = [];
    if (claim.lastGood) {
      ttl = claim.lastGood.ttlMs;
      source = `its last good backup, ${claim.lastGood.name}`;
      evidence = [backupEvidence(claim.lastGood)];
    } else {
      const running = claim.schedules.filter(s => !scheduleProblem(s));
      const withTtl = running
        .map(s => ({ s, ttl: s.ttl ? parseGoDuration(s.ttl) : undefined }))
        .sort((a, b) => (b.ttl ?? 0) - (a.ttl ?? 0));
      if (withTtl.length === 0) {
        ttls.push(undefined);
        return (
          unknown ?? {
            state: 'fail',
            note: 'it has no good backup and no running schedule that would keep one',
          }
        );
      }
      ttl = withTtl[0].ttl || undefined;
      source = `schedule ${withTtl[0].s.name}`;
      evidence = [scheduleEvidence(withTtl[0].s)];
    }
    ttls.push(ttl);
    if (unknown) return unknown;
    if (ttl === undefined) {
      return {
        state: 'unknown',
        note: `${source} sets no TTL, so Velero's server default (30 days unless changed) applies, which cannot be read from the cluster`,
        evidence,
      };
    }
    return {
      state: ttl >= retentionMs ? 'pass' : 'fail',
      note: `${source} is kept ${formatDuration(ttl)}`,
      evidence,
    };
  });
  const shortest = extreme(ttls, Math.min);
  return fold({
    id,
    title,
    claims: input.claims,
    outcomes,
    passed: `Every claim's backups are kept at least ${formatDuration(
      shortest ?? retentionMs,
    )}, the retention is ${formatDuration(retentionMs)}.`,
    headline: (state, n, total) =>
      state === 'fail'
        ? `${someClaims(
            n,
            total,
            'has',
          )} backups kept shorter than the retention of ${formatDuration(
            retentionMs,
          )}`
        : `How long the backups of ${someClaims(
            n,
            total,
            'is',
          )} kept is unknown`,
    value: shortest === undefined ? undefined : seconds(shortest),
    threshold: input.policy.policy.retentionSeconds,
    unit: 'seconds',
    bound: 'at-least',
  });
}

function storageLocationCheck(input: BackupCheckInput): CheckResult {
  const outcomes = input.claims.map((claim): ClaimOutcome => {
    const { cluster } = claim.pvc;
    const locations = input.storageLocations.filter(l => l.cluster === cluster);
    const named = (name: string | undefined, what: string) => {
      if (name) return { name, what };
      const fallback = locations.find(l => l.isDefault);
      return {
        name: fallback?.name,
        what: `${what} (the default location)`,
      };
    };
    const uses = [
      ...(claim.lastGood
        ? [
            named(
              claim.lastGood.storageLocation,
              `last good backup ${claim.lastGood.name}`,
            ),
          ]
        : []),
      ...claim.schedules
        .filter(s => !scheduleProblem(s))
        .map(s => named(s.storageLocation, `schedule ${s.name}`)),
    ];
    if (uses.length === 0) {
      return {
        state: 'not-applicable',
        note: 'no good backup or running schedule to check',
      };
    }
    const unknown = neverCollected(input, cluster, [
      'backup-storage-locations',
    ]);
    if (unknown) return unknown;
    const verdicts = uses.map(use => {
      const location = locations.find(l => l.name === use.name);
      const evidence: CheckEvidence = {
        kind: 'storage-location',
        cluster,
        namespace: location?.namespace ?? '',
        name: use.name ?? '(no default location)',
      };
      if (!location) {
        return {
          state: 'fail' as const,
          note: use.name
            ? `${use.what} uses storage location ${use.name}, which does not exist`
            : `${use.what} has no storage location: none is marked default`,
          evidence,
        };
      }
      if (location.phase === 'Available') {
        if (
          location.accessMode === 'ReadOnly' &&
          use.what.startsWith('schedule')
        ) {
          return {
            state: 'warn' as const,
            note: `${use.what} writes to ${location.name}, which is ReadOnly: new backups cannot be stored`,
            evidence,
          };
        }
        return {
          state: 'pass' as const,
          note: `${use.what} uses ${location.name}, Available`,
          evidence,
        };
      }
      if (!location.phase) {
        return {
          state: 'unknown' as const,
          note: `${use.what} uses ${location.name}, which Velero has not validated yet`,
          evidence,
        };
      }
      return {
        state: 'fail' as const,
        note: `${use.what} uses ${location.name}, which is ${location.phase}${
          location.message ? `: ${location.message}` : ''
        }`,
        evidence,
      };
    });
    const worst = verdicts.reduce((a, b) =>
      SEVERITY[b.state] > SEVERITY[a.state] ? b : a,
    );
    return {
      state: worst.state,
      note: worst.note,
      evidence: verdicts.map(v => ({ ...v.evidence, note: v.note })),
    };
  });
  return fold({
    id: 'backup.storage-location',
    title: 'Storage location available',
    claims: input.claims,
    outcomes,
    passed:
      "The storage locations of every claim's last good backup and running schedules are Available.",
    headline: (state, n, total) =>
      ({
        fail: `The backups of ${someClaims(
          n,
          total,
          'is',
        )} in a storage location that is not available`,
        unknown: `The storage locations of ${someClaims(
          n,
          total,
          'is',
        )} unknown`,
        warn: `${someClaims(
          n,
          total,
          'has',
        )} a schedule writing to a read-only location`,
        pass: '',
      }[state]),
    notApplicable: input.claims.length
      ? 'No claim has a good backup or a running schedule whose storage location could be checked.'
      : undefined,
  });
}

function recentFailuresCheck(input: BackupCheckInput): CheckResult {
  const id: BackupCheckId = 'backup.recent-failures';
  const title = 'Recent backups succeeded';
  const n = input.policy.policy.recentBackups;
  const base = {
    id,
    title,
    unit: 'count' as const,
    threshold: 0,
    bound: 'at-most' as const,
  };
  if (input.claims.length === 0) {
    return {
      ...base,
      unit: undefined,
      threshold: undefined,
      bound: undefined,
      state: 'not-applicable',
      message:
        'The entity has no persistent volume claims, so there is nothing to back up.',
      evidence: [],
    };
  }
  const clusters = [...new Set(input.claims.map(c => c.pvc.cluster))];
  const uncollected = clusters.filter(
    c => !input.collected(c, 'velero-backups'),
  );
  const failed = input.recentBackups.filter(b => b.phase !== 'Completed');
  const evidence = input.recentBackups.map(b =>
    backupEvidence(
      b,
      b.phase === 'Completed'
        ? 'Completed'
        : `${b.phase}: ${plural(b.errors, 'error')}, ${plural(
            b.warnings,
            'warning',
          )}`,
    ),
  );
  if (failed.length > 0) {
    return {
      ...base,
      state: 'fail',
      value: failed.length,
      message: `${failed.length} of the last ${plural(
        input.recentBackups.length,
        'finished backup',
      )} that include the entity's claims did not complete: ${failed
        .slice(0, 3)
        .map(
          b =>
            `${b.name} ${b.phase} (${plural(b.errors, 'error')}, ${plural(
              b.warnings,
              'warning',
            )})`,
        )
        .join(', ')}${failed.length > 3 ? ', and more' : ''}.`,
      evidence,
    };
  }
  if (uncollected.length > 0) {
    return {
      ...base,
      state: 'unknown',
      message: `The backups of cluster ${uncollected.join(
        ', ',
      )} have never been collected.`,
      evidence,
    };
  }
  if (input.recentBackups.length === 0) {
    return {
      ...base,
      unit: undefined,
      threshold: undefined,
      bound: undefined,
      state: 'not-applicable',
      message: "No finished backup includes the entity's claims yet.",
      evidence,
    };
  }
  return {
    ...base,
    state: 'pass',
    value: 0,
    message: `The last ${plural(
      input.recentBackups.length,
      'finished backup',
    )} that include the entity's claims all completed (the policy looks at the last ${n} per cluster).`,
    evidence,
  };
}

/**
 * The six backup checks of an entity, in the order of `BACKUP_CHECK_IDS`. Each says its state,
 * the value measured against the policy, a sentence, and the objects it rests on. A source never
 * collected makes the checks that need it `unknown`, never `pass`.
 */
export function backupChecks(input: BackupCheckInput): CheckResult[] {
  return [
    coverageCheck(input),
    rpoCheck(input),
    scheduleCheck(input),
    retentionCheck(input),
    storageLocationCheck(input),
    recentFailuresCheck(input),
  ].map(result => withUnlistedClaims(result, input.claimsUnlistedIn ?? []));
}

/**
 * The sentence said of an entity whose claims were never listed from some clusters: the claims
 * there are not known, so neither is whether there is anything to back up or restore.
 */
export function unlistedClaimsReason(clusters: string[]): string {
  return `The persistent volume claims have not been collected yet from cluster ${clusters.join(
    ', ',
  )}, so the entity's claims there are not known.`;
}

/**
 * While the claims of a cluster were never listed, what passes or does not apply is not known:
 * the entity may have claims there, backed up or not. A failure found elsewhere still stands.
 */
export function withUnlistedClaims(
  result: CheckResult,
  clusters: string[],
): CheckResult {
  if (
    clusters.length === 0 ||
    (result.state !== 'pass' && result.state !== 'not-applicable')
  ) {
    return result;
  }
  const reason = unlistedClaimsReason(clusters);
  return {
    ...result,
    state: 'unknown',
    message:
      result.state === 'pass'
        ? `${reason} Of those listed: ${result.message}`
        : reason,
  };
}
