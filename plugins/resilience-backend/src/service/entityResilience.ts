import { FlipTimes } from '../scoring/flips';
import { EntityResilienceResponse } from '@resilience-for-backstage/plugin-resilience-common';
import { collectionStatus } from './collectionStatus';
import { evaluateEntity } from './entityEvaluation';
import { EntityFactsOptions, loadEntityFacts } from './entityFacts';

export { collectionStatus };
export { summary } from './entityEvaluation';

/**
 * What the Resilience tab shows for one entity, computed from stored facts only (read by
 * `loadEntityFacts`, then evaluated by `evaluateEntity`): no cluster is called while a person
 * waits.
 */
export async function entityResilience(
  options: EntityFactsOptions & {
    /** Told when a verdict would change as the clock moves on. */
    flips?: FlipTimes;
  },
): Promise<EntityResilienceResponse> {
  const facts = await loadEntityFacts(options);
  const { view } = evaluateEntity(facts, options);
  return { ...view, collection: facts.collection };
}
