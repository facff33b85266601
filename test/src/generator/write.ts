import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { CatalogEntity } from './catalog';
import { ManifestObject } from './generate';
import { DemoSarifLog, DemoSastUpload } from './sast';

/** Which file each kind goes to, so that a person can find things in the output. */
const FILES: Record<string, string> = {
  Namespace: 'namespaces.yaml',
  Deployment: 'workloads.yaml',
  StatefulSet: 'workloads.yaml',
  Pod: 'workloads.yaml',
  PersistentVolumeClaim: 'storage.yaml',
  PersistentVolume: 'storage.yaml',
  VolumeSnapshotContent: 'snapshots.yaml',
  ClusterIssuer: 'certificates.yaml',
  Issuer: 'certificates.yaml',
  Certificate: 'certificates.yaml',
  Secret: 'certificates.yaml',
  Ingress: 'ingresses.yaml',
};

/** Writes the objects as multi-document YAML files into `dir`; returns the count per kind. */
export async function writeManifests(
  dir: string,
  objects: ManifestObject[],
): Promise<Record<string, number>> {
  await mkdir(dir, { recursive: true });
  const byFile = new Map<string, ManifestObject[]>();
  const counts: Record<string, number> = {};
  for (const object of objects) {
    const file = FILES[object.kind] ?? 'velero.yaml';
    byFile.set(file, [...(byFile.get(file) ?? []), object]);
    counts[object.kind] = (counts[object.kind] ?? 0) + 1;
  }
  for (const [file, list] of byFile) {
    await writeFile(
      join(dir, file),
      list
        .map(o => yaml.dump(o, { lineWidth: -1, noRefs: true }))
        .join('---\n'),
    );
  }
  return counts;
}

/** Writes catalog entities as one multi-document YAML file, as the catalog's file locations read. */
export async function writeCatalog(
  file: string,
  entities: CatalogEntity[],
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(
    file,
    entities.map(e => yaml.dump(e, { lineWidth: -1 })).join('---\n'),
  );
}

/**
 * Writes the SARIF logs of the demo's SAST history into `dir`, each under its upload's file
 * name, and the upload plan as `plan.json`: `{ now, uploads }`, uploads in the order to send them.
 */
export async function writeSastPlan(options: {
  dir: string;
  now: Date;
  history: Array<{ upload: DemoSastUpload; log: DemoSarifLog }>;
}): Promise<void> {
  const { dir, history } = options;
  await mkdir(dir, { recursive: true });
  for (const { upload, log } of history) {
    await writeFile(
      join(dir, upload.file),
      `${JSON.stringify(log, null, 2)}\n`,
    );
  }
  await writeFile(
    join(dir, 'plan.json'),
    `${JSON.stringify(
      {
        now: options.now.toISOString(),
        uploads: history.map(h => h.upload),
      },
      null,
      2,
    )}\n`,
  );
}
