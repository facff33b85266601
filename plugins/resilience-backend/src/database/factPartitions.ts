import { createHash } from 'node:crypto';
import {
  CollectionSource,
  LABEL_KUBERNETES_ID,
} from '@resilience-for-backstage/plugin-resilience-common';
import { FactsBySource } from './types';

/**
 * The parts of a listing whose facts an entity's evaluation reads together, so that a listing
 * that changes some of them changes the versions of only the entities that read those:
 *
 * - `namespace:<ns>`: the objects of a namespace (claims, pods, certificates, their requests,
 *   issuers, TLS Secrets, Ingresses), a namespace itself, and a volume by its claim's namespace;
 * - `kubernetes-id:<id>`: the objects carrying a `backstage.io/kubernetes-id` label value, which
 *   an entity mapped by that id is found through;
 * - `selection:<key>`: the backups and schedules with one backup selection, read through the
 *   claims that selection includes;
 * - `backup:<name>`: a backup's evidence (snapshot contents, data uploads, pod volume backups,
 *   volume snapshots), read through that backup;
 * - `shared`: what every mapped entity reads (backup storage locations, cluster issuers, a
 *   volume bound to no claim).
 *
 * Restores are read by no evaluation: they are in no part (the cluster's version still changes).
 */
export type Partition = string;

type PartitionsOf = {
  [S in CollectionSource]: (fact: FactsBySource[S]) => Partition[];
};

const inNamespace = (namespace: string): Partition => `namespace:${namespace}`;

/** An object's namespace and, when it carries one, its kubernetes-id label value. */
function namespaceAndId(fact: {
  namespace: string;
  labels: Record<string, string>;
}): Partition[] {
  const id = fact.labels[LABEL_KUBERNETES_ID];
  return id === undefined
    ? [inNamespace(fact.namespace)]
    : [inNamespace(fact.namespace), `kubernetes-id:${id}`];
}

const ofBackup = (backupName?: string): Partition[] =>
  backupName === undefined ? [] : [`backup:${backupName}`];

/** The key of a backup selection: the SHA-256 of its stored JSON (as the fact tables store it). */
export function selectionKey(selection: unknown): string {
  return createHash('sha256').update(JSON.stringify(selection)).digest('hex');
}

const PARTITIONS: PartitionsOf = {
  'velero-backups': f => [`selection:${selectionKey(f.selection)}`],
  'velero-schedules': f => [`selection:${selectionKey(f.selection)}`],
  'persistent-volume-claims': namespaceAndId,
  'persistent-volumes': f =>
    f.claimNamespace === undefined
      ? ['shared']
      : [inNamespace(f.claimNamespace)],
  'volume-snapshot-contents': f => ofBackup(f.backupName),
  'data-uploads': f => ofBackup(f.backupName),
  'pod-volume-backups': f => ofBackup(f.backupName),
  'volume-snapshots': f => ofBackup(f.backupName),
  'backup-storage-locations': () => ['shared'],
  pods: f => [inNamespace(f.namespace)],
  namespaces: f => [inNamespace(f.name)],
  'velero-restores': () => [],
  certificates: namespaceAndId,
  'certificate-requests': f => [inNamespace(f.namespace)],
  issuers: f => [inNamespace(f.namespace)],
  'cluster-issuers': () => ['shared'],
  'tls-secrets': namespaceAndId,
  ingresses: namespaceAndId,
};

/** The parts one fact of `source` is in. */
export function partitionsOf<S extends CollectionSource>(
  source: S,
  fact: FactsBySource[S],
): Partition[] {
  return (PARTITIONS[source] as (f: FactsBySource[S]) => Partition[])(fact);
}

/**
 * What a part's stored digest is set to when some of its facts were changed one by one (from a
 * watch): no listing's digest equals it, so the next listing changes the part's version again.
 */
export const CHANGED_SINCE_LISTING = 'changed-since-listing';

/** The parts of a listing, each with the digest of its facts (in an order of their own). */
export function partitionDigests<S extends CollectionSource>(
  source: S,
  facts: FactsBySource[S][],
): Map<Partition, string> {
  const hashes = new Map<Partition, ReturnType<typeof createHash>>();
  const sorted = [...facts].sort((a, b) =>
    a.uid < b.uid ? -1 : Number(a.uid > b.uid),
  );
  for (const fact of sorted) {
    const json = JSON.stringify(fact);
    for (const partition of partitionsOf(source, fact)) {
      let hash = hashes.get(partition);
      if (!hash) {
        hash = createHash('sha256');
        hashes.set(partition, hash);
      }
      hash.update(json);
      hash.update('\n');
    }
  }
  return new Map([...hashes].map(([p, h]) => [p, h.digest('hex')]));
}

/** The parts whose facts differ between two listings: changed, added or gone. */
export function changedPartitions(
  before: Map<Partition, string>,
  after: Map<Partition, string>,
): Partition[] {
  const changed = new Set<Partition>();
  for (const [partition, digest] of after) {
    if (before.get(partition) !== digest) changed.add(partition);
  }
  for (const partition of before.keys()) {
    if (!after.has(partition)) changed.add(partition);
  }
  return [...changed].sort();
}

/** Changed parts by what they name. */
export function sortPartitions(partitions: Partition[]): {
  namespaces: string[];
  kubernetesIds: string[];
  selectionKeys: string[];
  backupNames: string[];
  shared: boolean;
} {
  const sorted = {
    namespaces: [] as string[],
    kubernetesIds: [] as string[],
    selectionKeys: [] as string[],
    backupNames: [] as string[],
    shared: false,
  };
  for (const partition of partitions) {
    const at = partition.indexOf(':');
    const kind = at < 0 ? partition : partition.slice(0, at);
    const value = partition.slice(at + 1);
    if (kind === 'namespace') sorted.namespaces.push(value);
    else if (kind === 'kubernetes-id') sorted.kubernetesIds.push(value);
    else if (kind === 'selection') sorted.selectionKeys.push(value);
    else if (kind === 'backup') sorted.backupNames.push(value);
    // `shared`, and anything not known here: every mapped entity, never none.
    else sorted.shared = true;
  }
  return sorted;
}
