/**
 * The objects a restore test creates in a cluster, as pure functions: the throw-away namespaces
 * and the Velero Restore, each labelled with the test's id so that clean-up and the sweep find
 * them, and delete nothing else.
 */

/** The label on every object a restore test creates: its value is the test's id. */
export const RESTORE_TEST_ID_LABEL = 'resilience.io/restore-test-id';

/** The annotation naming the catalog entity a restore test is for (refs are no label values). */
export const RESTORE_TEST_ENTITY_ANNOTATION = 'resilience.io/entity-ref';

/** The default prefix of test namespaces (`resilience.restoreTests.namespacePrefix`). */
export const DEFAULT_NAMESPACE_PREFIX = 'restore-test-';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks a namespace prefix from config: the start of a DNS label, short enough to leave room
 * for the id and a number.
 *
 * @returns what is wrong, or undefined when it is fine.
 */
export function namespacePrefixProblem(prefix: string): string | undefined {
  if (!/^[a-z0-9][-a-z0-9]*$/.test(prefix)) {
    return `"${prefix}" is not the start of a namespace name: use lowercase letters, digits and dashes, starting with a letter or digit`;
  }
  if (prefix.length > 50) {
    return `"${prefix}" is ${prefix.length} characters long; at most 50 leave room for the test's id in a 63-character namespace name`;
  }
  return undefined;
}

/** The first 8 hex digits of a test's id: short, and unique enough among live tests. */
export function shortId(id: string): string {
  return id
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 8)
    .toLowerCase();
}

/**
 * The test namespace of each source namespace: `<prefix><short id>`, and with several sources
 * `<prefix><short id>-<n>` in the sources' order.
 */
export function testNamespaceMapping(options: {
  prefix: string;
  id: string;
  sources: string[];
}): Record<string, string> {
  const base = `${options.prefix}${shortId(options.id)}`;
  const sources = [...new Set(options.sources)].sort();
  const mapping: Record<string, string> = {};
  sources.forEach((source, i) => {
    const name = sources.length === 1 ? base : `${base}-${i + 1}`;
    if (!DNS_LABEL.test(name) || name.length > 63) {
      throw new Error(`"${name}" is not a valid namespace name`);
    }
    mapping[source] = name;
  });
  return mapping;
}

/** A test namespace. */
export function namespaceManifest(options: {
  name: string;
  testId: string;
  entityRef: string;
}) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: options.name,
      labels: { [RESTORE_TEST_ID_LABEL]: options.testId },
      annotations: { [RESTORE_TEST_ENTITY_ANNOTATION]: options.entityRef },
    },
  };
}

/**
 * The Velero Restore of a test: the backup's source namespaces mapped onto the test namespaces,
 * volumes restored, and nothing that exists overwritten (`existingResourcePolicy: none`).
 */
export function restoreManifest(options: {
  name: string;
  veleroNamespace: string;
  testId: string;
  entityRef: string;
  backupName: string;
  namespaceMapping: Record<string, string>;
}) {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: {
      name: options.name,
      namespace: options.veleroNamespace,
      labels: { [RESTORE_TEST_ID_LABEL]: options.testId },
      annotations: { [RESTORE_TEST_ENTITY_ANNOTATION]: options.entityRef },
    },
    spec: {
      backupName: options.backupName,
      includedNamespaces: Object.keys(options.namespaceMapping),
      namespaceMapping: options.namespaceMapping,
      restorePVs: true,
      existingResourcePolicy: 'none',
    },
  };
}
