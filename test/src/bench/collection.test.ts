import {
  countRequests,
  listsOf,
  LoggedRequest,
  nextPage,
  parseRequestsLog,
} from './collection';

const page = (path: string, query: string, status = 200): LoggedRequest => ({
  method: 'GET',
  path,
  query,
  status,
});

describe('the collection bench', () => {
  it('reads a requests log, leaving out a line still being written', () => {
    const text = `${JSON.stringify(
      page('/api/v1/pods', 'limit=500'),
    )}\n{"method":"GE`;
    expect(parseRequestsLog(text)).toEqual([page('/api/v1/pods', 'limit=500')]);
  });

  it('finds each list once, from its first page, in the order it was read', () => {
    const requests = [
      page('/apis/velero.io/v1/backups', 'limit=500'),
      page('/apis/velero.io/v1/backups', 'limit=500&continue=abc'),
      page('/apis/velero.io/v1/backups', 'continue=def&limit=500'),
      page(
        '/api/v1/secrets',
        'fieldSelector=type%3Dkubernetes.io%2Ftls&limit=500',
      ),
      // A get and a refused list are no lists to read again.
      page('/api/v1/namespaces/velero', ''),
      page('/api/v1/pods', 'limit=500', 403),
      {
        method: 'POST',
        path: '/apis/velero.io/v1/restores',
        query: 'limit=1',
        status: 201,
      },
      page('/apis/velero.io/v1/backups', 'limit=500'),
    ];
    expect(listsOf(requests)).toEqual([
      { path: '/apis/velero.io/v1/backups', query: 'limit=500' },
      {
        path: '/api/v1/secrets',
        query: 'fieldSelector=type%3Dkubernetes.io%2Ftls&limit=500',
      },
    ]);
    expect(countRequests(requests)).toEqual({
      total: 8,
      listPages: 6,
      failed: 1,
    });
  });

  it('pages with continue until the server gives none', () => {
    expect(nextPage('limit=500', 'abc')).toBe('limit=500&continue=abc');
    expect(nextPage('limit=500&continue=abc', 'def')).toBe(
      'limit=500&continue=def',
    );
    expect(nextPage('limit=500', '')).toBeUndefined();
    expect(nextPage('limit=500', undefined)).toBeUndefined();
  });
});
