import { BackupSelection, PodFact, PvcFact } from '../database/types';
import { backupInclusion } from './backupInclusion';

const claim = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): PvcFact => ({
  cluster: 'prod',
  uid: `uid-${namespace}-${name}`,
  namespace,
  name,
  labels,
  phase: 'Bound',
});

const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string>,
  claims: Record<string, string>,
): PodFact => ({
  cluster: 'prod',
  uid: `uid-pod-${name}`,
  namespace,
  name,
  labels,
  phase: 'Running',
  backupVolumes: [],
  backupVolumesExcludes: [],
  claims,
});

const claims = [
  claim('payments', 'ledger-data', { app: 'ledger' }),
  claim('payments', 'cache', { app: 'cache' }),
  claim('payments-eu', 'ledger-data', { app: 'ledger' }),
  claim('search', 'index', {}),
  claim('search', 'scratch', { 'velero.io/exclude-from-backup': 'true' }),
];

const pods = [
  pod('search', 'indexer-0', { app: 'indexer' }, { data: 'index' }),
  pod('search', 'other-0', { app: 'other' }, { data: 'scratch' }),
];

/** The claims a selection includes, as `namespace/name` or `namespace/name via pod`. */
function included(selection: BackupSelection): string[] {
  return backupInclusion({
    selections: [{ key: 'k', selection }],
    claims,
    pods,
  }).map(
    r =>
      `${r.namespace}/${r.name}${r.throughPod ? ` via ${r.throughPod}` : ''}`,
  );
}

describe('backupInclusion', () => {
  it.each<{ what: string; selection: BackupSelection; expected: string[] }>([
    {
      what: 'every claim but the excluded one when nothing filters',
      selection: {},
      expected: [
        'payments/ledger-data',
        'payments/cache',
        'payments-eu/ledger-data',
        'search/index',
      ],
    },
    {
      what: 'the claims of the named namespaces',
      selection: { includedNamespaces: ['payments'] },
      expected: ['payments/ledger-data', 'payments/cache'],
    },
    {
      what: 'the claims of the namespaces a glob names, less the excluded ones',
      selection: {
        includedNamespaces: ['pay*'],
        excludedNamespaces: ['*-eu'],
      },
      expected: ['payments/ledger-data', 'payments/cache'],
    },
    {
      what: 'the claims a label selector selects',
      selection: { labelSelector: { matchLabels: { app: 'ledger' } } },
      expected: ['payments/ledger-data', 'payments-eu/ledger-data'],
    },
    {
      what: 'the claims any of the orLabelSelectors selects',
      selection: {
        includedNamespaces: ['payments'],
        orLabelSelectors: [
          { matchLabels: { app: 'cache' } },
          { matchLabels: { app: 'nothing' } },
        ],
      },
      expected: ['payments/cache'],
    },
    {
      what: 'a claim without the labels, through a selected pod that mounts it',
      selection: { labelSelector: { matchLabels: { app: 'indexer' } } },
      expected: ['search/index via indexer-0'],
    },
    {
      what: 'nothing when the resource filters leave claims out',
      selection: { includedResources: ['deployments', 'secrets'] },
      expected: [],
    },
    {
      what: 'nothing when claims are excluded by resource',
      selection: { excludedResources: ['persistentvolumeclaims'] },
      expected: [],
    },
  ])('includes $what', ({ selection, expected }) => {
    expect(included(selection)).toEqual(expected);
  });

  it('keys each row by its selection', () => {
    const rows = backupInclusion({
      selections: [
        { key: 'payments', selection: { includedNamespaces: ['payments'] } },
        { key: 'search', selection: { includedNamespaces: ['search'] } },
      ],
      claims,
      pods,
    });
    expect(rows.map(r => [r.selectionKey, r.namespace, r.name])).toEqual([
      ['payments', 'payments', 'ledger-data'],
      ['payments', 'payments', 'cache'],
      ['search', 'search', 'index'],
    ]);
  });
});
