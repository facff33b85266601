import { BackupSelection } from '../database/types';
import { selectionIncludesPvc } from './backupCoverage';

const pvc = { namespace: 'payments', labels: { app: 'ledger' } };

describe('selectionIncludesPvc', () => {
  it.each<[string, BackupSelection, boolean]>([
    ['an empty selection (the whole cluster)', {}, true],
    ['its namespace', { includedNamespaces: ['payments'] }, true],
    ['all namespaces', { includedNamespaces: ['*'] }, true],
    ['a namespace glob', { includedNamespaces: ['pay*'] }, true],
    ['another namespace', { includedNamespaces: ['search'] }, false],
    ['its namespace excluded', { excludedNamespaces: ['payments'] }, false],
    [
      'included then excluded by glob',
      { includedNamespaces: ['*'], excludedNamespaces: ['pay?ents'] },
      false,
    ],
    ['resources naming pvc', { includedResources: ['pvc', 'pods'] }, true],
    ['resources without pvcs', { includedResources: ['deployments'] }, false],
    ['pvcs excluded', { excludedResources: ['persistentvolumeclaims'] }, false],
    ['every resource excluded', { excludedResources: ['*'] }, false],
    [
      'namespace-scoped resources without pvcs',
      { includedNamespaceScopedResources: ['configmaps'] },
      false,
    ],
    [
      'a matching label selector',
      { labelSelector: { matchLabels: { app: 'ledger' } } },
      true,
    ],
    [
      'a label selector that does not match',
      { labelSelector: { matchLabels: { app: 'api' } } },
      false,
    ],
    [
      'one of several or-selectors matching',
      {
        orLabelSelectors: [
          { matchLabels: { app: 'api' } },
          {
            matchExpressions: [
              { key: 'app', operator: 'In', values: ['ledger'] },
            ],
          },
        ],
      },
      true,
    ],
    [
      'no or-selector matching',
      { orLabelSelectors: [{ matchLabels: { app: 'api' } }] },
      false,
    ],
  ])('%s → %s', (_, selection, expected) => {
    expect(selectionIncludesPvc(selection, pvc)).toBe(expected);
  });
});
