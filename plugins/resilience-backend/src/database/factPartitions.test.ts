import { LABEL_KUBERNETES_ID } from '@resilience-for-backstage/plugin-resilience-common';
import {
  changedPartitions,
  partitionDigests,
  selectionKey,
  sortPartitions,
} from './factPartitions';
import { PvcFact, PvFact, VolumeSnapshotContentFact } from './types';

const claim = (namespace: string, name: string, id?: string): PvcFact => ({
  cluster: 'prod',
  uid: `${namespace}/${name}`,
  namespace,
  name,
  labels: id ? { [LABEL_KUBERNETES_ID]: id } : {},
});

describe('fact partitions', () => {
  it('puts an object in its namespace and under its kubernetes-id', () => {
    const parts = partitionDigests('persistent-volume-claims', [
      claim('shop', 'db', 'shop'),
      claim('shop', 'cache'),
      claim('tools', 'scratch', 'shop'),
    ]);
    expect([...parts.keys()].sort()).toEqual([
      'kubernetes-id:shop',
      'namespace:shop',
      'namespace:tools',
    ]);
  });

  it('puts a volume under its claim, a snapshot content under its backup, a backup under its selection', () => {
    const volume = (claimNamespace?: string): PvFact => ({
      cluster: 'prod',
      uid: `pv-${claimNamespace}`,
      namespace: '',
      name: `pv-${claimNamespace}`,
      claimNamespace,
      claimName: claimNamespace && 'db',
    });
    expect([
      ...partitionDigests('persistent-volumes', [
        volume('shop'),
        volume(undefined),
      ]).keys(),
    ]).toEqual(['namespace:shop', 'shared']);
    const content: VolumeSnapshotContentFact = {
      cluster: 'prod',
      uid: 'vsc-1',
      namespace: '',
      name: 'vsc-1',
      backupName: 'daily-1',
    };
    expect([
      ...partitionDigests('volume-snapshot-contents', [
        content,
        { ...content, uid: 'vsc-2', backupName: undefined },
      ]).keys(),
    ]).toEqual(['backup:daily-1']);
    const selection = { includedNamespaces: ['shop'] };
    expect([
      ...partitionDigests('velero-backups', [
        {
          cluster: 'prod',
          uid: 'b-1',
          namespace: 'velero',
          name: 'daily-1',
          phase: 'Completed',
          selection,
          errors: 0,
          warnings: 0,
          capture: {
            volumeSnapshotsCompleted: 0,
            csiVolumeSnapshotsCompleted: 0,
            itemOperationsCompleted: 0,
          },
        },
      ]).keys(),
    ]).toEqual([`selection:${selectionKey(selection)}`]);
  });

  it('tells the parts that changed, were added or are gone, whatever the order of the listing', () => {
    const before = partitionDigests('persistent-volume-claims', [
      claim('shop', 'db', 'shop'),
      claim('shop', 'cache'),
      claim('tools', 'scratch'),
    ]);
    const reordered = partitionDigests('persistent-volume-claims', [
      claim('tools', 'scratch'),
      claim('shop', 'cache'),
      claim('shop', 'db', 'shop'),
    ]);
    expect(changedPartitions(before, reordered)).toEqual([]);
    const after = partitionDigests('persistent-volume-claims', [
      claim('shop', 'db', 'shop'),
      { ...claim('shop', 'cache'), phase: 'Lost' },
      claim('web', 'assets'),
    ]);
    expect(changedPartitions(before, after)).toEqual([
      'namespace:shop',
      'namespace:tools',
      'namespace:web',
    ]);
  });

  it('sorts parts by what they name, and takes a part it does not know for every entity', () => {
    expect(
      sortPartitions([
        'namespace:shop',
        'kubernetes-id:shop',
        'selection:abc',
        'backup:daily-1',
        'namespace:a:b',
      ]),
    ).toEqual({
      namespaces: ['shop', 'a:b'],
      kubernetesIds: ['shop'],
      selectionKeys: ['abc'],
      backupNames: ['daily-1'],
      shared: false,
    });
    expect(sortPartitions(['something-new:x']).shared).toBe(true);
    expect(sortPartitions(['shared']).shared).toBe(true);
  });
});
