import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BackupSummary,
  EntityIncidentResponse,
  EntityNamespace,
  newestBackupFirst,
} from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceStore } from '../database/ResilienceStore';
import { BackupFact } from '../database/types';
import { certificatesInNamespaces } from '../mapping/certificateOwnership';
import { recoveryPointAgeSeconds } from '../scoring/backupChecks';
import { PolicyConfig, resolveCertificatePolicy } from '../scoring/policy';
import { backupMarker } from './backupMarks';
import { collectionStatus } from './collectionStatus';
import {
  certificateSourceCollected,
  certificateSummaries,
  ownedCertificates,
} from './entityCertificates';
import { entityClaims } from './entityClaims';
import { summary } from './entityResilience';
import { entityDefaultBranches } from '../sast/defaultBranches';

/** Completed backups read per query, newest first, while looking for a known-good one. */
const PAGE_SIZE = 200;

/** The most completed backups of the claims in one cluster read while looking for a known-good one. */
const SCAN_LIMIT = 5000;

const namespaceKey = (n: EntityNamespace) =>
  JSON.stringify([n.cluster, n.namespace]);

/**
 * What to restore and what to rotate when an entity is compromised, from stored facts only:
 * its newest existing known-good backup, the vulnerable ones taken since, and every TLS
 * certificate whose Secret lives in one of its namespaces.
 */
export async function entityIncident(options: {
  entity: Entity;
  store: ResilienceStore;
  clusters: string[];
  policies: PolicyConfig;
  /** `resilience.sast.defaultBranches`, unless the entity names its own. */
  defaultBranches: string[];
  now: Date;
}): Promise<EntityIncidentResponse> {
  const { entity, store, clusters, now } = options;
  const defaultBranches = entityDefaultBranches(
    entity,
    options.defaultBranches,
  );
  const entityRef = stringifyEntityRef(entity);
  const { mapping, pvcs, inclusionOf } = await entityClaims({
    entity,
    store,
    clusters,
    now,
  });
  const scanned =
    (await store.firstSastScanAt({ entityRef, branches: defaultBranches })) !==
    undefined;
  const mark = await backupMarker({ store, entityRef, defaultBranches });

  // Per cluster, newest first: the vulnerable backups down to the first known-good one.
  const knownGood: BackupSummary[] = [];
  const vulnerable: BackupSummary[] = [];
  for (const cluster of scanned ? new Set(pvcs.map(p => p.cluster)) : []) {
    const selectionKeys = pvcs
      .filter(p => p.cluster === cluster)
      .flatMap(p => inclusionOf(p).map(i => i.selectionKey));
    let found = false;
    for (
      let offset = 0;
      !found && selectionKeys.length > 0 && offset < SCAN_LIMIT;
      offset += PAGE_SIZE
    ) {
      const page: BackupFact[] = await store.listBackups({
        cluster,
        selectionKeys,
        completed: true,
        limit: PAGE_SIZE,
        offset,
      });
      for (const backup of page) {
        const shown = summary(backup, mark);
        if (shown.security?.mark === 'known-good') {
          knownGood.push(shown);
          found = true;
          break;
        }
        if (shown.security?.mark === 'vulnerable') vulnerable.push(shown);
      }
      if (page.length < PAGE_SIZE) break;
    }
  }
  knownGood.sort(newestBackupFirst);
  const latestKnownGood = knownGood[0] ?? null;
  const vulnerableSince = vulnerable
    .filter(b => !latestKnownGood || newestBackupFirst(b, latestKnownGood) < 0)
    .sort(newestBackupFirst);

  // The entity's namespaces: of its claims, its certificates, Secrets and Ingresses, and the
  // one its annotation names, in every cluster.
  const namespaces = new Map<string, EntityNamespace>();
  const add = (n: EntityNamespace) => namespaces.set(namespaceKey(n), n);
  pvcs.forEach(p => add({ cluster: p.cluster, namespace: p.namespace }));
  const owned = await ownedCertificates({ mapping, store, clusters });
  owned.forEach(c => add({ cluster: c.cluster, namespace: c.namespace }));
  const annotated = mapping?.namespace;
  if (annotated) {
    clusters.forEach(cluster => add({ cluster, namespace: annotated }));
  }
  const inNamespaces = [...namespaces.values()].sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      a.namespace.localeCompare(b.namespace),
  );

  let certificates: EntityIncidentResponse['certificates'] = [];
  if (inNamespaces.length > 0) {
    const filter = {
      clusters: [...new Set(inNamespaces.map(n => n.cluster))],
      namespaces: [...new Set(inNamespaces.map(n => n.namespace))],
    };
    const items = certificatesInNamespaces({
      namespaces: inNamespaces,
      certificates: await store.listCertificates(filter),
      secrets: await store.listTlsSecrets(filter),
      ingresses: await store.listIngresses(filter),
      issuers: await store.listIssuers(filter),
    });
    certificates = await certificateSummaries({
      items,
      store,
      context: {
        now,
        policy: resolveCertificatePolicy(entity, options.policies),
        collected: certificateSourceCollected(
          await collectionStatus({ store, clusters }),
        ),
      },
    });
  }

  const open = await store.listOpenSastFindings({
    entityRef,
    severities: ['critical', 'high'],
  });
  const openOnDefault = open.filter(f => defaultBranches.includes(f.branch));
  return {
    entityRef,
    generatedAt: now.toISOString(),
    scanned,
    openFindings: {
      critical: openOnDefault.filter(f => f.severity === 'critical').length,
      high: openOnDefault.filter(f => f.severity === 'high').length,
    },
    latestKnownGood,
    latestKnownGoodAgeSeconds: latestKnownGood
      ? recoveryPointAgeSeconds(latestKnownGood, now)
      : null,
    vulnerableSince,
    namespaces: inNamespaces,
    certificates,
  };
}
