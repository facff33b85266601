import { BackupSelection } from '../database/types';
import { labelsMatch, requirementsOfSelectorObject } from './labelSelector';

/** Names under which Velero's resource filters can name PersistentVolumeClaims. */
const PVC_RESOURCE_NAMES = new Set([
  '*',
  'persistentvolumeclaims',
  'persistentvolumeclaim',
  'pvc',
  'persistentvolumeclaims.',
  'persistentvolumeclaims.v1',
]);

/**
 * Velero's namespace filters accept globs (`*`, `?`, `[...]`); an exact name is the common case.
 */
function globMatches(pattern: string, value: string): boolean {
  if (!/[*?[]/.test(pattern)) {
    return pattern === value;
  }
  const source = pattern
    .split('')
    .map(ch => {
      if (ch === '*') return '.*';
      if (ch === '?') return '.';
      if (ch === '[' || ch === ']') return ch;
      return ch.replace(/[.+^${}()|\\]/g, '\\$&');
    })
    .join('');
  try {
    return new RegExp(`^${source}$`).test(value);
  } catch {
    return false;
  }
}

function namesPvcs(resources: string[] | undefined): boolean {
  return (resources ?? []).some(r => PVC_RESOURCE_NAMES.has(r.toLowerCase()));
}

/**
 * True when a backup with this selection includes the given PVC object: its namespace is included
 * and not excluded, its resource filters keep PVCs, and its label selectors match the claim.
 *
 * This says whether the claim object is in the backup, the first condition of coverage; whether
 * the volume's data was captured is decided from per-volume evidence elsewhere.
 * Velero also adds a PVC when a selected pod mounts it, even if the claim's own labels do not
 * match; that path needs pod facts and is not considered here, so a label-selected backup may be
 * reported as not including a claim it did include through its pod.
 */
export function selectionIncludesPvc(
  selection: BackupSelection,
  pvc: { namespace: string; labels: Record<string, string> },
): boolean {
  const included = selection.includedNamespaces ?? [];
  if (
    included.length > 0 &&
    !included.some(pattern => globMatches(pattern, pvc.namespace))
  ) {
    return false;
  }
  if (
    (selection.excludedNamespaces ?? []).some(pattern =>
      globMatches(pattern, pvc.namespace),
    )
  ) {
    return false;
  }
  for (const [includedKey, excludedKey] of [
    ['includedResources', 'excludedResources'],
    ['includedNamespaceScopedResources', 'excludedNamespaceScopedResources'],
  ] as const) {
    const includedResources = selection[includedKey];
    if (includedResources?.length && !namesPvcs(includedResources)) {
      return false;
    }
    if (namesPvcs(selection[excludedKey])) {
      return false;
    }
  }
  if (
    selection.labelSelector &&
    !labelsMatch(
      requirementsOfSelectorObject(selection.labelSelector),
      pvc.labels,
    )
  ) {
    return false;
  }
  if (
    selection.orLabelSelectors?.length &&
    !selection.orLabelSelectors.some(selector =>
      labelsMatch(requirementsOfSelectorObject(selector), pvc.labels),
    )
  ) {
    return false;
  }
  return true;
}
