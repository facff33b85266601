import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { SastSeverity } from '@resilience-for-backstage/plugin-resilience-common';
import useAsync from 'react-use/esm/useAsync';
import { EntitySastOptions, resilienceApiRef } from '../api';

/**
 * Loads the SAST view of an entity for a branch, page and severity filter. While the next one
 * loads, the previous value stays, so that paging does not tear the view down.
 */
export function useEntitySast(
  entityRef: CompoundEntityRef,
  options: EntitySastOptions,
) {
  const api = useApi(resilienceApiRef);
  const { kind, namespace, name } = entityRef;
  const { branch, offset, limit, days } = options;
  // The severities by value, so that a new array of the same ones is the same query.
  const severities = (options.severities ?? []).join(',');
  return useAsync(
    () =>
      api.getEntitySast(
        { kind, namespace, name },
        {
          branch,
          offset,
          limit,
          days,
          severities: severities
            ? (severities.split(',') as SastSeverity[])
            : undefined,
        },
      ),
    [api, kind, namespace, name, branch, offset, limit, days, severities],
  );
}
