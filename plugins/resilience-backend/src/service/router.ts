import {
  HttpAuthService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { resilienceCollectionRunPermission } from '@resilience-for-backstage/plugin-resilience-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { ResilienceStore } from '../database/ResilienceStore';
import { PolicyConfig } from '../scoring/policy';
import { collectionStatus, entityResilience } from './entityResilience';

/**
 * The REST API under `/api/resilience`. Entity data is served only for entities the caller may
 * read in the catalog: the catalog is asked with the caller's own credentials.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  store: ResilienceStore;
  permissions: PermissionsService;
  scheduler: SchedulerService;
  /** Names of the configured clusters; facts of clusters no longer configured are not served. */
  clusters: string[];
  /** The backup policies entities are checked against. */
  policies: PolicyConfig;
  /** The id of the scheduled collection task of a cluster. */
  collectionTaskId: (cluster: string) => string;
  now?: () => Date;
}): Promise<express.Router> {
  const { httpAuth, catalog, store, clusters, permissions, scheduler } =
    options;
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

  router.post('/collection/:cluster/run', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: resilienceCollectionRunPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Starting a collection needs the ${resilienceCollectionRunPermission.name} permission`,
      );
    }
    const cluster = req.params.cluster;
    if (!clusters.includes(cluster)) {
      throw new NotFoundError(
        `No cluster named "${cluster}" is configured; the configured clusters are: ${
          clusters.join(', ') || 'none'
        }`,
      );
    }
    // The scheduler runs it on one replica as soon as it can; the status shows when it is done.
    await scheduler.triggerTask(options.collectionTaskId(cluster));
    res.status(202).json({ cluster, status: 'triggered' });
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
    res.json(
      await entityResilience({
        entity,
        store,
        clusters,
        policies: options.policies,
        now: now(),
      }),
    );
  });

  return router;
}
