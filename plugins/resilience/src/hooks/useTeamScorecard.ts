import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { Grade } from '@resilience-for-backstage/plugin-resilience-common';
import useAsync from 'react-use/esm/useAsync';
import { resilienceApiRef, TeamScorecardQuery } from '../api';

/**
 * Loads one page of a group's scorecard for a sort and filters. While the next one loads, the
 * previous value stays, so that paging does not tear the table down.
 */
export function useTeamScorecard(
  groupRef: CompoundEntityRef,
  query: TeamScorecardQuery,
) {
  const api = useApi(resilienceApiRef);
  const { kind, namespace, name } = groupRef;
  const { offset, limit, sort, order, pillar, days } = query;
  // The grades by value, so that a new array of the same ones is the same query.
  const grades = (query.grades ?? []).join(',');
  return useAsync(
    () =>
      api.getTeamScorecard(
        { kind, namespace, name },
        {
          offset,
          limit,
          sort,
          order,
          grades: grades
            ? (grades.split(',') as Array<Grade | 'none'>)
            : undefined,
          pillar,
          days,
        },
      ),
    [
      api,
      kind,
      namespace,
      name,
      offset,
      limit,
      sort,
      order,
      grades,
      pillar,
      days,
    ],
  );
}
