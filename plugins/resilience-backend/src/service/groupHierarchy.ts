import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** What is read of a group: its reference, its titles and its relations. */
export const GROUP_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.profile.displayName',
  'relations',
];

/** Refs per catalog filter: a filter is sent in the query string, whose length is limited. */
const REFS_PER_FILTER = 50;

/** The catalog compares references without regard to case; so do the maps here. */
export const refKey = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The targets of an entity's relations of one type. */
export function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}

/** References in groups small enough for one catalog filter each. */
export function inChunks<T>(values: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += REFS_PER_FILTER) {
    result.push(values.slice(i, i + REFS_PER_FILTER));
  }
  return result;
}

/**
 * The child groups of each group (by {@link refKey}), among the given groups only: from the
 * parent's `parentOf` relations and from the child's `childOf` relations, so that a relation the
 * catalog holds on one side only still counts.
 */
export function groupChildren(groups: Entity[]): Map<string, Set<string>> {
  const known = new Set(groups.map(g => refKey(stringifyEntityRef(g))));
  const children = new Map<string, Set<string>>();
  const add = (parent: string, child: string) => {
    if (!known.has(parent) || !known.has(child) || parent === child) return;
    const set = children.get(parent) ?? new Set<string>();
    set.add(child);
    children.set(parent, set);
  };
  for (const group of groups) {
    const ref = refKey(stringifyEntityRef(group));
    for (const child of relationTargets(group, RELATION_PARENT_OF)) {
      add(ref, refKey(child));
    }
    for (const parent of relationTargets(group, RELATION_CHILD_OF)) {
      add(refKey(parent), ref);
    }
  }
  return children;
}

/**
 * A group and every group below it, the group first: each once, also when the hierarchy has a
 * cycle (the catalog does not forbid one).
 */
export function descendants(
  root: string,
  children: Map<string, Set<string>>,
): string[] {
  const seen = new Set([root]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    for (const child of children.get(queue[i]) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return queue;
}

/** Every group the caller may read. */
export async function readGroups(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
}): Promise<Entity[]> {
  const groups: Entity[] = [];
  for await (const page of options.catalog.streamEntities(
    { filter: { kind: 'Group' }, fields: GROUP_FIELDS },
    { credentials: options.credentials },
  )) {
    groups.push(...page);
  }
  return groups;
}

/**
 * A group and the groups below it that the caller may read, the group first and the others by
 * reference. A group the caller may not read is left out, and so are the groups below it: what
 * the catalog does not show the caller, the scorecard does not count.
 */
export async function readGroupDescendants(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  group: Entity;
}): Promise<Entity[]> {
  const { catalog, credentials } = options;
  const found = new Map<string, Entity>();
  const add = (group: Entity, to: Entity[]) => {
    const key = refKey(stringifyEntityRef(group));
    if (!found.has(key)) {
      found.set(key, group);
      to.push(group);
    }
  };
  let level: Entity[] = [];
  add(options.group, level);
  // One level at a time; a group met before is not read again, which ends a cycle.
  while (level.length > 0) {
    const next: Entity[] = [];
    for (const refs of inChunks(level.map(g => stringifyEntityRef(g)))) {
      for await (const page of catalog.streamEntities(
        {
          filter: { kind: 'Group', 'relations.childOf': refs },
          fields: GROUP_FIELDS,
        },
        { credentials },
      )) {
        page.forEach(g => add(g, next));
      }
    }
    // Children a group names that do not name it back: the catalog relates both sides, so
    // normally there are none to read.
    const named = [
      ...new Set(level.flatMap(g => relationTargets(g, RELATION_PARENT_OF))),
    ].filter(ref => !found.has(refKey(ref)));
    for (const refs of inChunks(named)) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: GROUP_FIELDS },
        { credentials },
      );
      for (const group of items) {
        if (group && group.kind.toLocaleLowerCase('en-US') === 'group') {
          add(group, next);
        }
      }
    }
    level = next;
  }
  const [root, ...below] = [...found.values()];
  return [
    root,
    ...below.sort((a, b) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
    ),
  ];
}
