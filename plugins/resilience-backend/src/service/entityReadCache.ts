import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Entries kept at most; the oldest go first beyond it. */
const DEFAULT_MAX_ENTRIES = 10_000;

/** Who a read is for: the catalog decides what each caller may read. */
function callerKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
    actor?: { subject?: string };
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return `user:${principal.userEntityRef}${
      principal.actor?.subject ? `:actor:${principal.actor.subject}` : ''
    }`;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return undefined;
}

/**
 * The catalog's answer to "this entity, as this caller may read it", kept for a short time per
 * caller and entity, so that the read routes (the entity view, its score, its tables, a team's
 * scorecard) do not ask the catalog again for every request of a page or a poll. Each caller
 * gets only what the catalog gave to that same caller, never another's answer; an answer of
 * "no such entity, or not readable" is kept as well. Concurrent reads of one key share one
 * catalog request; a failed one is not kept. With a lifetime of 0 every read goes to the
 * catalog.
 */
export class EntityReadCache {
  private readonly entries = new Map<
    string,
    { expiresAt: number; entity: Promise<Entity | undefined> }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      /** How long an answer is kept, in milliseconds. */
      ttlMs: number;
      maxEntries?: number;
      clock?: () => number;
    },
  ) {}

  getEntityByRef(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const { catalog, ttlMs } = this.options;
    const caller = callerKey(credentials);
    if (ttlMs <= 0 || caller === undefined) {
      return catalog.getEntityByRef(ref, { credentials });
    }
    const now = (this.options.clock ?? Date.now)();
    const key = `${caller}\n${stringifyEntityRef(ref).toLocaleLowerCase(
      'en-US',
    )}`;
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.entity;
    if (cached) this.entries.delete(key);

    const entity = catalog.getEntityByRef(ref, { credentials });
    const entry = { expiresAt: now + ttlMs, entity };
    this.entries.set(key, entry);
    entity.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    const max = this.options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
    }
    return entity;
  }
}
