/**
 * Links to a file of a repository at a commit, built from the entity's
 * `backstage.io/source-location` annotation, for the hosts whose browse URLs have a known shape.
 */

/** Builds the link to a file (and line) at a commit or branch; undefined when it cannot. */
export type FileLinkBuilder = (file: {
  path: string;
  /** A commit SHA or a branch name. */
  ref: string;
  line?: number;
}) => string;

const encodePath = (path: string) =>
  path.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');

/**
 * The link builder of a source location such as `url:https://github.com/org/repo/tree/main/`.
 * Recognised by the shape of the URL, so that self-hosted servers work too:
 *
 * - GitLab: `…/group/repo/-/tree/<ref>/…` gives `…/-/blob/<ref>/<path>#L<line>`;
 * - Azure DevOps: `…/_git/<repo>?…` gives `…/_git/<repo>?path=/<path>&version=GC<sha>&line=…`;
 * - Bitbucket Server: `…/projects/<p>/repos/<r>/browse…` gives `…/browse/<path>?at=<ref>#<line>`;
 * - Bitbucket Cloud (bitbucket.org): `…/<ws>/<repo>/src/<ref>/…` gives
 *   `…/src/<ref>/<path>#lines-<line>`;
 * - Gitea and Forgejo: `…/<owner>/<repo>/src/branch/<ref>/…` gives
 *   `…/src/commit/<sha>/<path>#L<line>`;
 * - GitHub (any host): `…/<owner>/<repo>` or `…/tree|blob/<ref>/…` gives
 *   `…/blob/<ref>/<path>#L<line>`.
 *
 * Undefined for anything else (a `file:` location, an unknown shape): no link rather than a
 * wrong one.
 */
export function fileLinkBuilder(
  sourceLocation: string | undefined,
): FileLinkBuilder | undefined {
  if (!sourceLocation) return undefined;
  const text = sourceLocation.trim().replace(/^url:/i, '');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const origin = url.origin;
  const segments = url.pathname
    .split('/')
    .filter(s => s !== '')
    .map(s => decodeURIComponent(s));
  const base = (n: number) =>
    `${origin}/${segments
      .slice(0, n)
      .map(encodeURIComponent)
      .join('/')
      .replace(/\.git$/, '')}`;

  const gitlab = segments.indexOf('-');
  if (gitlab >= 2) {
    const repo = base(gitlab);
    return ({ path, ref, line }) =>
      `${repo}/-/blob/${encodePath(ref)}/${encodePath(path)}${
        line ? `#L${line}` : ''
      }`;
  }
  const azure = segments.indexOf('_git');
  if (azure >= 1 && segments.length > azure + 1) {
    const repo = base(azure + 2);
    return ({ path, ref, line }) => {
      const isSha = /^[0-9a-f]{40}$/i.test(ref);
      const query = new URLSearchParams({
        path: `/${path.replace(/^\/+/, '')}`,
        version: `${isSha ? 'GC' : 'GB'}${ref}`,
      });
      if (line) {
        query.set('line', String(line));
        query.set('lineEnd', String(line + 1));
        query.set('lineStartColumn', '1');
        query.set('lineEndColumn', '1');
      }
      return `${repo}?${query}`;
    };
  }
  if (
    segments[0] === 'projects' &&
    segments[2] === 'repos' &&
    segments.length >= 4
  ) {
    const repo = base(4);
    return ({ path, ref, line }) =>
      `${repo}/browse/${encodePath(path)}?at=${encodeURIComponent(ref)}${
        line ? `#${line}` : ''
      }`;
  }
  if (url.hostname === 'bitbucket.org' && segments.length >= 2) {
    const repo = base(2);
    return ({ path, ref, line }) =>
      `${repo}/src/${encodePath(ref)}/${encodePath(path)}${
        line ? `#lines-${line}` : ''
      }`;
  }
  if (
    segments[2] === 'src' &&
    ['branch', 'commit', 'tag'].includes(segments[3] ?? '')
  ) {
    const repo = base(2);
    return ({ path, ref, line }) =>
      `${repo}/src/${
        /^[0-9a-f]{40}$/i.test(ref) ? 'commit' : 'branch'
      }/${encodePath(ref)}/${encodePath(path)}${line ? `#L${line}` : ''}`;
  }
  if (
    segments.length === 2 ||
    (segments.length >= 3 && ['tree', 'blob'].includes(segments[2]))
  ) {
    const repo = base(2);
    return ({ path, ref, line }) =>
      `${repo}/blob/${encodePath(ref)}/${encodePath(path)}${
        line ? `#L${line}` : ''
      }`;
  }
  return undefined;
}
