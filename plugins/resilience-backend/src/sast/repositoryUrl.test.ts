import {
  normaliseRepositoryUrl,
  sourceLocationInRepository,
  sourceLocationPrefix,
} from './repositoryUrl';

describe('normaliseRepositoryUrl', () => {
  it.each([
    ['https://github.com/Acme/Payments', 'github.com/acme/payments'],
    ['https://GitHub.com/acme/payments.git', 'github.com/acme/payments'],
    ['https://github.com/acme/payments/', 'github.com/acme/payments'],
    ['https://token@github.com/acme/payments.git/', 'github.com/acme/payments'],
    ['git@github.com:acme/payments.git', 'github.com/acme/payments'],
    ['git+ssh://git@github.com/acme/payments', 'github.com/acme/payments'],
    [
      'url:https://github.com/acme/payments/tree/main/',
      'github.com/acme/payments/tree/main',
    ],
    ['https://git.example.com:8443/team/app', 'git.example.com:8443/team/app'],
    ['not a url', undefined],
    ['', undefined],
  ])('%s → %s', (input, expected) => {
    expect(normaliseRepositoryUrl(input)).toBe(expected);
  });
});

describe('sourceLocationInRepository', () => {
  const repositoryUrl = 'https://github.com/acme/payments.git';
  it.each([
    ['url:https://github.com/acme/payments', true],
    ['url:https://github.com/acme/payments/', true],
    ['url:https://github.com/Acme/Payments/tree/main/', true],
    ['url:https://github.com/acme/payments/blob/main/catalog-info.yaml', true],
    ['url:https://github.com/acme/payments/tree/main/services/api/', true],
    ['url:https://gitlab.com/acme/payments/-/tree/main/', false],
    ['url:https://github.com/acme/payments-ui/tree/main/', false],
    ['url:https://github.com/acme/payments/other-repo', false],
    ['url:https://github.com/acme', false],
    ['file:/tmp/payments', false],
  ])('%s: %s', (sourceLocation, expected) => {
    expect(sourceLocationInRepository({ sourceLocation, repositoryUrl })).toBe(
      expected,
    );
  });

  it('knows the GitLab and Bitbucket browse paths', () => {
    expect(
      sourceLocationInRepository({
        sourceLocation: 'url:https://gitlab.com/acme/payments/-/tree/main/',
        repositoryUrl: 'https://gitlab.com/acme/payments',
      }),
    ).toBe(true);
    expect(
      sourceLocationInRepository({
        sourceLocation:
          'url:https://bitbucket.org/acme/payments/src/main/catalog-info.yaml',
        repositoryUrl: 'https://bitbucket.org/acme/payments.git',
      }),
    ).toBe(true);
  });
});

describe('sourceLocationPrefix', () => {
  it('is the https source location of the repository', () => {
    expect(sourceLocationPrefix('git@github.com:acme/payments.git')).toBe(
      'url:https://github.com/acme/payments',
    );
    expect(sourceLocationPrefix('nothing')).toBeUndefined();
  });
});
