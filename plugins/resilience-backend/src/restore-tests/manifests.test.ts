import {
  namespaceManifest,
  namespacePrefixProblem,
  restoreManifest,
  shortId,
  testNamespaceMapping,
} from './manifests';

const ID = '1A2B3C4D-5e6f-4a1b-9c2d-0e1f2a3b4c5d';

describe('testNamespaceMapping', () => {
  it.each<[string[], Record<string, string>]>([
    [['payments'], { payments: 'restore-test-1a2b3c4d' }],
    [
      ['payments-db', 'payments', 'payments'],
      {
        payments: 'restore-test-1a2b3c4d-1',
        'payments-db': 'restore-test-1a2b3c4d-2',
      },
    ],
    [[], {}],
  ])('maps %j to %j', (sources, mapping) => {
    expect(
      testNamespaceMapping({ prefix: 'restore-test-', id: ID, sources }),
    ).toEqual(mapping);
  });

  it('refuses a name longer than a namespace may be', () => {
    expect(() =>
      testNamespaceMapping({ prefix: 'x'.repeat(60), id: ID, sources: ['a'] }),
    ).toThrow('is not a valid namespace name');
  });

  it('takes the first eight hex digits of the id', () => {
    expect(shortId(ID)).toBe('1a2b3c4d');
  });
});

describe('namespacePrefixProblem', () => {
  it.each(['restore-test-', 'rt', 'a'.repeat(50)])('accepts %j', prefix => {
    expect(namespacePrefixProblem(prefix)).toBeUndefined();
  });

  it.each<[string, RegExp]>([
    ['Restore-', /not the start of a namespace name/],
    ['-x', /not the start of a namespace name/],
    ['restore_test', /not the start of a namespace name/],
    ['a'.repeat(51), /is 51 characters long; at most 50/],
  ])('refuses %j, saying why', (prefix, problem) => {
    expect(namespacePrefixProblem(prefix)).toMatch(problem);
  });
});

describe('manifests', () => {
  it('labels the test namespace with the test id and names the entity', () => {
    expect(
      namespaceManifest({
        name: 'restore-test-1a2b3c4d',
        testId: ID,
        entityRef: 'component:default/ledger',
      }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'restore-test-1a2b3c4d',
        labels: { 'resilience.io/restore-test-id': ID },
        annotations: { 'resilience.io/entity-ref': 'component:default/ledger' },
      },
    });
  });

  it('restores the source namespaces into the test namespaces, volumes included, overwriting nothing', () => {
    expect(
      restoreManifest({
        name: 'restore-test-1a2b3c4d',
        veleroNamespace: 'velero',
        testId: ID,
        entityRef: 'component:default/ledger',
        backupName: 'daily-20261202',
        namespaceMapping: { payments: 'restore-test-1a2b3c4d' },
      }),
    ).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: {
        name: 'restore-test-1a2b3c4d',
        namespace: 'velero',
        labels: { 'resilience.io/restore-test-id': ID },
        annotations: { 'resilience.io/entity-ref': 'component:default/ledger' },
      },
      spec: {
        backupName: 'daily-20261202',
        includedNamespaces: ['payments'],
        namespaceMapping: { payments: 'restore-test-1a2b3c4d' },
        restorePVs: true,
        existingResourcePolicy: 'none',
      },
    });
  });
});
