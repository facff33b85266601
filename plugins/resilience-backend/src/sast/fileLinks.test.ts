import { fileLinkBuilder } from './fileLinks';

const sha = '0123456789abcdef0123456789abcdef01234567';

describe('fileLinkBuilder', () => {
  it.each<[string, string, string | undefined]>([
    [
      'GitHub, a folder of a branch',
      'url:https://github.com/acme/payments/tree/main/',
      `https://github.com/acme/payments/blob/${sha}/src/db%20layer/query.ts#L42`,
    ],
    [
      'GitHub Enterprise, the repository itself',
      'url:https://git.acme.example/acme/payments',
      `https://git.acme.example/acme/payments/blob/${sha}/src/db%20layer/query.ts#L42`,
    ],
    [
      'GitHub, a file of a monorepo',
      'url:https://github.com/acme/mono/blob/main/services/payments/catalog-info.yaml',
      `https://github.com/acme/mono/blob/${sha}/src/db%20layer/query.ts#L42`,
    ],
    [
      'GitLab, a subgroup',
      'url:https://gitlab.com/acme/platform/payments/-/tree/main/',
      `https://gitlab.com/acme/platform/payments/-/blob/${sha}/src/db%20layer/query.ts#L42`,
    ],
    [
      'Bitbucket Cloud',
      'url:https://bitbucket.org/acme/payments/src/main/',
      `https://bitbucket.org/acme/payments/src/${sha}/src/db%20layer/query.ts#lines-42`,
    ],
    [
      'Bitbucket Server',
      'url:https://bitbucket.acme.example/projects/PAY/repos/payments/browse',
      `https://bitbucket.acme.example/projects/PAY/repos/payments/browse/src/db%20layer/query.ts?at=${sha}#42`,
    ],
    [
      'Azure DevOps',
      'url:https://dev.azure.com/acme/shop/_git/payments?path=/&version=GBmain',
      `https://dev.azure.com/acme/shop/_git/payments?path=%2Fsrc%2Fdb+layer%2Fquery.ts&version=GC${sha}&line=42&lineEnd=43&lineStartColumn=1&lineEndColumn=1`,
    ],
    [
      'Gitea',
      'url:https://gitea.acme.example/acme/payments/src/branch/main/',
      `https://gitea.acme.example/acme/payments/src/commit/${sha}/src/db%20layer/query.ts#L42`,
    ],
    ['a file location', 'file:./catalog-info.yaml', undefined],
    ['an unknown shape', 'url:https://example.com/a/b/c/d', undefined],
    ['not a URL', 'payments', undefined],
  ])('%s', (_, location, expected) => {
    const build = fileLinkBuilder(location);
    expect(build?.({ path: 'src/db layer/query.ts', ref: sha, line: 42 })).toBe(
      expected,
    );
  });

  it('links to a branch and without a line when that is all there is', () => {
    expect(
      fileLinkBuilder('url:https://github.com/acme/payments/tree/main/')?.({
        path: 'README.md',
        ref: 'release/1.x',
      }),
    ).toBe('https://github.com/acme/payments/blob/release/1.x/README.md');
    expect(
      fileLinkBuilder(
        'url:https://gitea.acme.example/acme/payments/src/branch/main/',
      )?.({ path: 'a.go', ref: 'main', line: 3 }),
    ).toBe('https://gitea.acme.example/acme/payments/src/branch/main/a.go#L3');
    expect(fileLinkBuilder(undefined)).toBeUndefined();
  });
});
