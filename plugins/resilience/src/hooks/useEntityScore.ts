import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { EntityScoreOptions, resilienceApiRef } from '../api';

/** Loads the score of an entity with its daily history; `retry` loads it again. */
export function useEntityScore(
  entityRef: CompoundEntityRef,
  options: EntityScoreOptions = {},
) {
  const api = useApi(resilienceApiRef);
  const { kind, namespace, name } = entityRef;
  const { days } = options;
  return useAsyncRetry(
    () => api.getEntityScore({ kind, namespace, name }, { days }),
    [api, kind, namespace, name, days],
  );
}
