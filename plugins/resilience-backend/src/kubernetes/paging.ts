/** One page of a Kubernetes list response, as far as paging needs it. */
export interface ListPage<T> {
  items: T[];
  /** `metadata.continue`: empty or absent on the last page. */
  continueToken?: string;
}

/**
 * Lists every item of a resource, page by page with `limit`/`continue`.
 *
 * A continue token can expire (HTTP 410 `Expired`) when the list takes longer than the API
 * server keeps its snapshot; the list is then restarted from the beginning, because the pages
 * already read and the new ones would come from different snapshots. It is restarted at most
 * `maxRestarts` times.
 */
export async function listAllPages<T>(options: {
  fetchPage: (continueToken: string | undefined) => Promise<ListPage<T>>;
  isExpired: (error: unknown) => boolean;
  maxRestarts?: number;
}): Promise<T[]> {
  const maxRestarts = options.maxRestarts ?? 2;
  for (let attempt = 0; ; attempt++) {
    const items: T[] = [];
    let token: string | undefined = undefined;
    try {
      do {
        const page: ListPage<T> = await options.fetchPage(token);
        items.push(...page.items);
        token = page.continueToken || undefined;
      } while (token);
      return items;
    } catch (error) {
      if (
        token === undefined ||
        !options.isExpired(error) ||
        attempt >= maxRestarts
      ) {
        throw error;
      }
    }
  }
}
