import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { resilienceApiRef } from '../api';

/** Loads the resilience data of an entity; `retry` loads it again. */
export function useEntityResilience(entityRef: CompoundEntityRef) {
  const api = useApi(resilienceApiRef);
  const { kind, namespace, name } = entityRef;
  return useAsyncRetry(
    () => api.getEntityResilience({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
}
