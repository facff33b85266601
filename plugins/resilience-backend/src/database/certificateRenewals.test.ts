import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseResilienceStore } from './DatabaseResilienceStore';
import { StoredCertificateRenewal } from './ResilienceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  return DatabaseResilienceStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
}

function renewal(
  id: string,
  overrides: Partial<StoredCertificateRenewal> = {},
): StoredCertificateRenewal {
  return {
    id,
    cluster: 'prod',
    namespace: 'payments',
    name: 'payments-tls',
    entityRef: 'component:default/payments',
    requestedBy: 'user:default/ada',
    requestedAt: new Date('2026-11-25T10:00:00Z'),
    state: 'in-progress',
    previousRevision: 3,
    message: 'Asked cert-manager to issue a new certificate',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'certificate renewals on %s',
  databaseId => {
    it('keeps one renewal in progress per Certificate and finishes it once', async () => {
      const store = await createStore(databaseId);
      await store.createCertificateRenewal(renewal('r1'));
      // Another Certificate may be renewed meanwhile.
      await store.createCertificateRenewal(
        renewal('r2', { name: 'other-tls' }),
      );
      await expect(
        store.createCertificateRenewal(renewal('r3')),
      ).rejects.toThrow(ConflictError);
      expect(
        (await store.listCertificateRenewalsInProgress()).map(r => r.id).sort(),
      ).toEqual(['r1', 'r2']);

      const finishedAt = new Date('2026-11-25T10:00:04Z');
      const notAfter = new Date('2027-02-23T10:00:00Z');
      expect(
        await store.finishCertificateRenewal({
          id: 'r1',
          state: 'succeeded',
          message: 'Revision 4 issued',
          finishedAt,
          revision: 4,
          notAfter,
        }),
      ).toBe(true);
      // A second replica arriving late does not overwrite the outcome.
      expect(
        await store.finishCertificateRenewal({
          id: 'r1',
          state: 'failed',
          message: 'late',
          finishedAt,
        }),
      ).toBe(false);
      expect(await store.getCertificateRenewal('r1')).toEqual(
        renewal('r1', {
          state: 'succeeded',
          message: 'Revision 4 issued',
          finishedAt,
          revision: 4,
          notAfter,
        }),
      );

      // Once finished, the Certificate can be renewed again.
      await store.createCertificateRenewal(
        renewal('r3', { requestedAt: new Date('2026-11-25T11:00:00Z') }),
      );
      await store.updateCertificateRenewalMessage({
        id: 'r3',
        message: 'cert-manager is issuing revision 5',
      });
      const latest = await store.listLatestCertificateRenewals({
        certificates: [
          { cluster: 'prod', namespace: 'payments', name: 'payments-tls' },
          { cluster: 'prod', namespace: 'payments', name: 'missing' },
        ],
      });
      expect(latest).toEqual([
        renewal('r3', {
          requestedAt: new Date('2026-11-25T11:00:00Z'),
          message: 'cert-manager is issuing revision 5',
        }),
      ]);
      expect(await store.getCertificateRenewal('nope')).toBeUndefined();
    });
  },
);
