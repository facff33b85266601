/**
 * Matching a SARIF log's `versionControlProvenance[].repositoryUri` with the catalog's
 * `backstage.io/source-location` annotations (`url:https://host/org/repo/tree/main/`).
 */

/**
 * A repository URL as `host/path`: scheme, credentials, `.git` and trailing slashes dropped,
 * lower case (hosts are case-insensitive, and so are the repository paths of the common SCM
 * hosts). Accepts `url:` and `git+` prefixes and scp-like `git@host:org/repo`. Undefined when it
 * is not a URL.
 */
export function normaliseRepositoryUrl(value: string): string | undefined {
  let text = value
    .trim()
    .replace(/^url:/i, '')
    .replace(/^git\+/i, '');
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.+)$/.exec(text);
  if (scp) {
    text = `ssh://${scp[1]}/${scp[2]}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!url.host) {
    return undefined;
  }
  const path = url.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  return `${url.host}${path}`.toLowerCase();
}

/**
 * What may follow a repository in a source location: the browse paths of GitHub (`tree`,
 * `blob`), GitLab (`-/tree`), Bitbucket (`src`, `browse`).
 */
const BROWSE_SEGMENTS = ['tree', 'blob', '-', 'src', 'browse'];

/**
 * Whether a `backstage.io/source-location` annotation points into the repository: the
 * repository itself or a folder of one of its branches.
 */
export function sourceLocationInRepository(options: {
  sourceLocation: string;
  repositoryUrl: string;
}): boolean {
  const location = normaliseRepositoryUrl(options.sourceLocation);
  const repository = normaliseRepositoryUrl(options.repositoryUrl);
  if (!location || !repository) {
    return false;
  }
  if (location === repository) {
    return true;
  }
  if (!location.startsWith(`${repository}/`)) {
    return false;
  }
  const next = location.slice(repository.length + 1).split('/')[0];
  return BROWSE_SEGMENTS.includes(next);
}

/**
 * The prefix every matching annotation value starts with, for a catalog `$hasPrefix` query
 * (which compares case-insensitively); `https` only, as the catalog writes source locations.
 */
export function sourceLocationPrefix(
  repositoryUrl: string,
): string | undefined {
  const repository = normaliseRepositoryUrl(repositoryUrl);
  return repository ? `url:https://${repository}` : undefined;
}
