import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { OwnershipMap } from '../database/ownership';
import { ResilienceStore } from '../database/ResilienceStore';
import {
  descendants,
  groupChildren,
  readGroups,
  refKey,
} from './groupHierarchy';
import { ownersOf, readOwnedEntities } from './ownedEntities';

const text = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

/** A group's title: `metadata.title`, else its profile's display name. */
export function groupTitle(group: Entity): string | undefined {
  const profile = group.spec?.profile as { displayName?: unknown } | undefined;
  return group.metadata.title ?? text(profile?.displayName);
}

/** What a sort by name compares: the title, else the name, in lower case. */
export const nameKeyOf = (entity: Entity) =>
  (entity.metadata.title ?? entity.metadata.name).toLocaleLowerCase('en-US');

/** The ownership map of what the credentials may read of the catalog. */
export async function readOwnershipMap(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
}): Promise<OwnershipMap> {
  const [groups, entities] = await Promise.all([
    readGroups(options),
    readOwnedEntities(options),
  ]);
  const children = groupChildren(groups);
  return {
    entities: entities.map(entity => ({
      entityRef: stringifyEntityRef(entity),
      kind: entity.kind,
      title: entity.metadata.title,
      type: text(entity.spec?.type),
      owner: text(entity.spec?.owner),
      nameKey: nameKeyOf(entity),
      ownerKeys: ownersOf(entity).map(refKey),
    })),
    groups: groups.map(group => {
      const groupRef = stringifyEntityRef(group);
      return {
        groupKey: refKey(groupRef),
        groupRef,
        title: groupTitle(group),
        memberKeys: descendants(refKey(groupRef), children),
      };
    }),
  };
}

/**
 * The ownership map, read from the catalog with the plugin's own credentials (the whole catalog)
 * and stored: on a schedule, and at the first scorecard before the schedule's first run.
 */
export class OwnershipMapKeeper {
  #first: Promise<void> | undefined;
  #stored = false;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: ResilienceStore;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** Reads the catalog and replaces the stored map; returns how many entities it maps. */
  async refresh(): Promise<number> {
    const { catalog, auth, store } = this.options;
    const at = this.options.now?.() ?? new Date();
    const map = await readOwnershipMap({
      catalog,
      credentials: await auth.getOwnServiceCredentials(),
    });
    await store.replaceOwnershipMap(map, at);
    return map.entities.length;
  }

  /**
   * Reads the catalog again when the stored map lacks some of `entityRefs` (those just scored):
   * the catalog has entities the map was read without, as after a large import; returns whether
   * it read. A change of owner still waits for the schedule.
   */
  async refreshIfBehind(entityRefs: string[]): Promise<boolean> {
    const wanted = new Set(entityRefs).size;
    if (wanted === 0) return false;
    const { store } = this.options;
    if (
      (await store.ownershipMapRefreshedAt()) &&
      (await store.countMappedEntities(entityRefs)) >= wanted
    ) {
      return false;
    }
    await this.refresh();
    return true;
  }

  /** Resolves once a map is stored: at once when one is, else after reading the first. */
  async ready(): Promise<void> {
    // A stored map is only ever replaced: once seen, not asked for again.
    if (this.#stored) return;
    if (await this.options.store.ownershipMapRefreshedAt()) {
      this.#stored = true;
      return;
    }
    // Requests that come together wait for one reading.
    this.#first ??= this.refresh().then(
      () => undefined,
      error => {
        this.#first = undefined;
        throw error;
      },
    );
    await this.#first;
  }
}

/**
 * Whether the caller may read every entity of the catalog: the decision the catalog itself asks
 * for (`catalog.entity.read`, unconditional). Then the stored map is what the catalog would show
 * them; otherwise (a conditional decision: some entities only) the catalog is asked.
 */
export async function readsWholeCatalog(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
}): Promise<boolean> {
  const [decision] = await options.permissions.authorizeConditional(
    [{ permission: catalogEntityReadPermission }],
    { credentials: options.credentials },
  );
  return decision.result === AuthorizeResult.ALLOW;
}
