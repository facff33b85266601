import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { inChunks, refKey, relationTargets } from './groupHierarchy';
import { SCORED_KINDS } from './scoreKeeper';

const SCORED = new Set(SCORED_KINDS.map(k => k.toLocaleLowerCase('en-US')));

/** What is read of an owned entity: what a scorecard shows of it, and its owners. */
export const OWNED_ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.type',
  'spec.owner',
  'relations',
];

/** The owners of an entity: the targets of its `ownedBy` relations. */
export function ownersOf(entity: Entity): string[] {
  return relationTargets(entity, RELATION_OWNED_BY);
}

/**
 * The scored entities ({@link SCORED_KINDS}) the caller may read that are owned by one of the
 * given owners (by any owner when absent); each once, by reference. The catalog is asked with
 * the caller's credentials, so an entity the caller may not read is never among them.
 */
export async function readOwnedEntities(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  owners?: string[];
}): Promise<Entity[]> {
  const filters = options.owners
    ? inChunks([...new Set(options.owners)]).map(owners => ({
        'relations.ownedBy': owners,
      }))
    : [{ 'relations.ownedBy': CATALOG_FILTER_EXISTS }];
  const found = new Map<string, Entity>();
  for (const filter of filters) {
    for await (const page of options.catalog.streamEntities(
      { filter, fields: OWNED_ENTITY_FIELDS },
      { credentials: options.credentials },
    )) {
      for (const entity of page) {
        // Only the kinds that are scored: a System or an API has no score of its own, and
        // would only add a "no grade" to its team.
        if (SCORED.has(entity.kind.toLocaleLowerCase('en-US'))) {
          found.set(refKey(stringifyEntityRef(entity)), entity);
        }
      }
    }
  }
  return [...found.values()].sort((a, b) =>
    stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
  );
}
