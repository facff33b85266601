import { Entity } from '@backstage/catalog-model';
import { isMappedToKubernetes } from './components/kubernetes';

/**
 * Whether the Resilience views apply to the entity, for `EntitySwitch.Case if={...}`: it names
 * its Kubernetes objects by `backstage.io/kubernetes-id` or
 * `backstage.io/kubernetes-label-selector`; without, nothing of it is collected or scored.
 *
 * @public
 */
export function isResilienceAvailable(entity: Entity): boolean {
  return isMappedToKubernetes(entity);
}
