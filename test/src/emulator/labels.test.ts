import { compileFieldSelector, compileLabelSelector } from './labels';
import { StatusError } from './status';

describe('compileLabelSelector', () => {
  const labels = {
    app: 'ledger',
    tier: 'db',
    'backstage.io/kubernetes-id': 'ledger',
  };
  it.each([
    ['app=ledger', true],
    ['app==ledger', true],
    ['app=search', false],
    ['app!=search', true],
    ['absent!=x', true],
    ['tier in (db, cache)', true],
    ['tier notin (db)', false],
    ['absent notin (x)', true],
    ['backstage.io/kubernetes-id', true],
    ['!backstage.io/kubernetes-id', false],
    ['!absent', true],
    ['app=ledger,tier in (cache)', false],
    ['app=ledger, tier=db', true],
    ['', true],
  ])('%j → %s', (selector, expected) => {
    expect(compileLabelSelector(selector)(labels)).toBe(expected);
  });

  it.each(['app=(x)', 'tier in db', '=x'])(
    'refuses %j with a 400',
    selector => {
      expect(() => compileLabelSelector(selector)).toThrow(
        expect.objectContaining({ code: 400, reason: 'BadRequest' }),
      );
    },
  );
});

describe('compileFieldSelector', () => {
  const secret = {
    metadata: { name: 'tls', namespace: 'web' },
    type: 'kubernetes.io/tls',
  };
  it.each([
    ['type=kubernetes.io/tls', true],
    ['type==Opaque', false],
    ['type!=Opaque,metadata.namespace=web', true],
    ['metadata.name=other', false],
  ])('%j → %s', (selector, expected) => {
    expect(
      compileFieldSelector(selector, [
        'metadata.name',
        'metadata.namespace',
        'type',
      ])(secret),
    ).toBe(expected);
  });

  it('refuses fields the resource does not support, as the API server does', () => {
    const compile = () => compileFieldSelector('spec.foo=x', ['metadata.name']);
    expect(compile).toThrow(StatusError);
    expect(compile).toThrow('field label not supported: spec.foo');
  });
});
