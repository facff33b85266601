import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { ResilienceStore } from '../database/ResilienceStore';
import { collectionStatus, entityResilience } from './entityResilience';

/**
 * The REST API under `/api/resilience`. Entity data is served only for entities the caller may
 * read in the catalog: the catalog is asked with the caller's own credentials.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  store: ResilienceStore;
  /** Names of the configured clusters; facts of clusters no longer configured are not served. */
  clusters: string[];
  now?: () => Date;
}): Promise<express.Router> {
  const { httpAuth, catalog, store, clusters } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/collection-status', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: await collectionStatus({ store, clusters }) });
  });

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = {
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    };
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(
          ref,
        )} in the catalog, or you may not read it; check the kind, namespace and name`,
      );
    }
    res.json(await entityResilience({ entity, store, clusters, now: now() }));
  });

  return router;
}
