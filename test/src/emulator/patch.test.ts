import { jsonPatch, mergePatch } from './patch';

describe('mergePatch', () => {
  it.each([
    [
      { a: 1, b: { c: 2, d: 3 } },
      { b: { c: 5, d: null }, e: [1] },
      { a: 1, b: { c: 5 }, e: [1] },
    ],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: 1 }, 'x', 'x'],
    [undefined, { a: { b: 1 } }, { a: { b: 1 } }],
  ])('merges %j with %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });
});

describe('jsonPatch', () => {
  const doc = { metadata: { labels: { a: '1' } }, spec: { list: ['x', 'y'] } };
  it.each([
    [
      [{ op: 'add', path: '/metadata/labels/b', value: '2' }],
      { metadata: { labels: { a: '1', b: '2' } }, spec: { list: ['x', 'y'] } },
    ],
    [
      [{ op: 'replace', path: '/spec/list/0', value: 'z' }],
      { metadata: { labels: { a: '1' } }, spec: { list: ['z', 'y'] } },
    ],
    [
      [{ op: 'add', path: '/spec/list/-', value: 'w' }],
      { metadata: { labels: { a: '1' } }, spec: { list: ['x', 'y', 'w'] } },
    ],
    [
      [{ op: 'remove', path: '/metadata/labels/a' }],
      { metadata: { labels: {} }, spec: { list: ['x', 'y'] } },
    ],
    [
      [{ op: 'move', from: '/spec/list', path: '/spec/items' }],
      { metadata: { labels: { a: '1' } }, spec: { items: ['x', 'y'] } },
    ],
    [
      [{ op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/c' }],
      { metadata: { labels: { a: '1', c: '1' } }, spec: { list: ['x', 'y'] } },
    ],
    [
      [{ op: 'add', path: '/metadata/labels/a~1b', value: 'v' }],
      {
        metadata: { labels: { a: '1', 'a/b': 'v' } },
        spec: { list: ['x', 'y'] },
      },
    ],
  ])('applies %j', (operations, expected) => {
    expect(jsonPatch(doc, operations)).toEqual(expected);
  });

  it('leaves the target unchanged', () => {
    jsonPatch(doc, [{ op: 'remove', path: '/spec' }]);
    expect(doc.spec.list).toEqual(['x', 'y']);
  });

  it.each([
    [[{ op: 'replace', path: '/missing/x', value: 1 }], /does not exist/],
    [[{ op: 'remove', path: '/spec/nothing' }], /does not exist/],
    [
      [{ op: 'test', path: '/metadata/labels/a', value: '2' }],
      /testing value \/metadata\/labels\/a failed/,
    ],
    [[{ op: 'frobnicate', path: '/a' }], /unknown operation/],
    [{ op: 'add' }, /must be an array/],
  ])('refuses %j with a 422', (operations, message) => {
    expect(() => jsonPatch(doc, operations)).toThrow(message);
  });
});
