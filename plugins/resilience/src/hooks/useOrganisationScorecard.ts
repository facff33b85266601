import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { OrganisationScorecardOptions, resilienceApiRef } from '../api';

/** Loads every team's ranking and the organisation's trend; `retry` loads it again. */
export function useOrganisationScorecard(
  options: OrganisationScorecardOptions = {},
) {
  const api = useApi(resilienceApiRef);
  const { days } = options;
  return useAsyncRetry(
    () => api.getOrganisationScorecard({ days }),
    [api, days],
  );
}
