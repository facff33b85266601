import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { resilienceApiRef } from '../api';

/**
 * Loads the restore tests of an entity and what a new one would restore; `retry` loads them
 * again, for example once a test started from the tab is over.
 */
export function useEntityRestoreTests(entityRef: CompoundEntityRef) {
  const api = useApi(resilienceApiRef);
  const { kind, namespace, name } = entityRef;
  return useAsyncRetry(
    () => api.getEntityRestoreTests({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
}
