import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_RESILIENCE_SAST_DEFAULT_BRANCH } from '@resilience-for-backstage/plugin-resilience-common';

/**
 * The branches whose SAST reports count for an entity's checks, marks and incident view: the one
 * its `resilience.io/sast-default-branch` annotation names, else those of
 * `resilience.sast.defaultBranches`. A repository whose default branch is, say, `develop` names it
 * there rather than the whole portal counting every `develop`.
 */
export function entityDefaultBranches(
  entity: Entity,
  configured: string[],
): string[] {
  const named =
    entity.metadata.annotations?.[
      ANNOTATION_RESILIENCE_SAST_DEFAULT_BRANCH
    ]?.trim();
  return named ? [named] : configured;
}
