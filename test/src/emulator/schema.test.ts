import { loadCrds } from './resources';
import { DEFAULT_CRD_DIR } from './index';
import { validateAndPrune } from './schema';

const crds = loadCrds([DEFAULT_CRD_DIR]);
const schemaOf = (kind: string) =>
  crds.find(r => r.kind === kind && r.version === 'v1')!.schema!;

describe('validateAndPrune with the real Velero Backup schema', () => {
  const backup = schemaOf('Backup');

  it('accepts a valid backup and keeps metadata untouched', () => {
    const object = {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name: 'b', labels: { 'velero.io/schedule-name': 'daily' } },
      spec: {
        includedNamespaces: ['payments'],
        ttl: '720h0m0s',
        labelSelector: { matchLabels: { app: 'x' } },
      },
      status: {
        phase: 'Completed',
        completionTimestamp: '2026-11-24T02:00:00Z',
        errors: 0,
      },
    };
    expect(validateAndPrune(backup, object)).toEqual({
      value: object,
      causes: [],
    });
  });

  it('prunes unknown fields, and refuses them when strict', () => {
    const object = {
      metadata: { name: 'b' },
      spec: { ttl: '1h', bogus: true },
      extra: 1,
    };
    expect(validateAndPrune(backup, object)).toEqual({
      value: { metadata: { name: 'b' }, spec: { ttl: '1h' } },
      causes: [],
    });
    expect(
      validateAndPrune(backup, object, { strict: true }).causes.map(
        c => c.message,
      ),
    ).toEqual(['unknown field "spec.bogus"', 'unknown field "extra"']);
  });

  it.each([
    [{ spec: { ttl: 3600 } }, 'spec.ttl', 'FieldValueTypeInvalid'],
    [
      { spec: { includedNamespaces: 'payments' } },
      'spec.includedNamespaces',
      'FieldValueTypeInvalid',
    ],
    [
      { status: { phase: 'Exploded' } },
      'status.phase',
      'FieldValueNotSupported',
    ],
    [
      { status: { completionTimestamp: 'yesterday' } },
      'status.completionTimestamp',
      'FieldValueInvalid',
    ],
  ])('refuses %j at %s', (fields, field, reason) => {
    const { causes } = validateAndPrune(backup, {
      metadata: { name: 'b' },
      ...fields,
    });
    expect(causes).toEqual([expect.objectContaining({ field, reason })]);
  });

  it('drops null for fields that are not nullable', () => {
    expect(
      validateAndPrune(backup, { metadata: {}, spec: { ttl: null } }).value,
    ).toEqual({ metadata: {}, spec: {} });
  });
});

describe('validateAndPrune with cert-manager Certificate', () => {
  it('reports required fields by path', () => {
    const { causes } = validateAndPrune(schemaOf('Certificate'), {
      metadata: { name: 'c' },
      spec: { dnsNames: ['x'] },
    });
    expect(causes.map(c => [c.field, c.reason])).toEqual(
      expect.arrayContaining([
        ['spec.issuerRef', 'FieldValueRequired'],
        ['spec.secretName', 'FieldValueRequired'],
      ]),
    );
  });
});
