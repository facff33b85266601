import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { resilienceApiRef } from '../api';

/** Loads what to restore and rotate when the entity is compromised; `retry` loads it again. */
export function useEntityIncident(entityRef: CompoundEntityRef) {
  const api = useApi(resilienceApiRef);
  const { kind, namespace, name } = entityRef;
  return useAsyncRetry(
    () => api.getEntityIncident({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
}
