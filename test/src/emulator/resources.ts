import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { JSONSchemaProps } from './schema';

/** A resource the emulator serves in one group version. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Whether `/status` is a subresource: then create and update ignore `status`. */
  statusSubresource: boolean;
  /** The CRD's schema; built-in kinds are not validated. */
  schema?: JSONSchemaProps;
  /** Fields a field selector may use, beyond metadata.name and metadata.namespace. */
  selectableFields: string[];
}

const builtin = (
  group: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[] = [],
  selectableFields: string[] = [],
): ResourceType => ({
  group,
  version: 'v1',
  plural,
  singular: kind.toLowerCase(),
  kind,
  namespaced,
  shortNames,
  statusSubresource: kind !== 'Secret',
  selectableFields,
});

/** The built-in kinds the plugin (and its tests) read. */
export const BUILTIN_RESOURCES: ResourceType[] = [
  builtin('', 'namespaces', 'Namespace', false, ['ns'], ['status.phase']),
  builtin('', 'pods', 'Pod', true, ['po'], ['status.phase', 'spec.nodeName']),
  builtin('', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc']),
  builtin('', 'persistentvolumes', 'PersistentVolume', false, ['pv']),
  builtin('', 'secrets', 'Secret', true, [], ['type']),
  builtin('apps', 'deployments', 'Deployment', true, ['deploy']),
  builtin('apps', 'statefulsets', 'StatefulSet', true, ['sts']),
  builtin('networking.k8s.io', 'ingresses', 'Ingress', true, ['ing']),
];

interface CustomResourceDefinition {
  kind: string;
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: {
      plural: string;
      singular?: string;
      kind: string;
      shortNames?: string[];
    };
    versions: Array<{
      name: string;
      served: boolean;
      schema?: { openAPIV3Schema?: JSONSchemaProps };
      subresources?: { status?: object };
    }>;
  };
}

const parsed = new Map<string, ResourceType[]>();

/**
 * The served versions of every CRD in the given folders' `*.yaml` files, sorted by file name.
 * Each folder is parsed once per process: the real CRDs are a megabyte of YAML, and tests start
 * many emulators.
 */
export function loadCrds(dirs: string[]): ResourceType[] {
  return dirs.flatMap(dir => {
    let resources = parsed.get(dir);
    if (!resources) {
      resources = parseCrdDir(dir);
      parsed.set(dir, resources);
    }
    return structuredClone(resources);
  });
}

function parseCrdDir(dir: string): ResourceType[] {
  const resources: ResourceType[] = [];
  const files = readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .sort();
  for (const file of files) {
    for (const doc of yaml.loadAll(readFileSync(join(dir, file), 'utf8'))) {
      const crd = doc as CustomResourceDefinition | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const { group, scope, names, versions } = crd.spec;
      for (const version of versions.filter(v => v.served)) {
        resources.push({
          group,
          version: version.name,
          plural: names.plural,
          singular: names.singular ?? names.kind.toLowerCase(),
          kind: names.kind,
          namespaced: scope === 'Namespaced',
          shortNames: names.shortNames ?? [],
          statusSubresource: Boolean(version.subresources?.status),
          schema: version.schema?.openAPIV3Schema,
          selectableFields: [],
        });
      }
    }
  }
  return resources;
}

/** `group/version`, or `version` for the core group, as in `apiVersion`. */
export const groupVersion = (r: { group: string; version: string }) =>
  r.group ? `${r.group}/${r.version}` : r.version;
