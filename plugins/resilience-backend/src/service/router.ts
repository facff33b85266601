import {
  AuditorService,
  AuthService,
  HttpAuthService,
  PermissionsService,
  SchedulerService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CertificateRenewalResponse,
  resilienceCertificateRenewPermission,
  resilienceCollectionRunPermission,
  resilienceSastUploadPermission,
  resilienceRestoreTestCreatePermission,
  SastUploadResponse,
  EntityScoreResponse,
  GradeBounds,
} from '@resilience-for-backstage/plugin-resilience-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express, { Response } from 'express';
import Router from 'express-promise-router';
import { ResilienceStore } from '../database/ResilienceStore';
import { PolicyConfig } from '../scoring/policy';
import { CertificateRenewer } from '../certificates/CertificateRenewer';
import {
  entityCertificateSummaries,
  renewalSummary,
} from './entityCertificates';
import { collectionStatus } from './entityResilience';
import { parseSarifReport } from '../sast/sarifPipeline';
import { readJsonBody } from './readReportBody';
import { entityIncident } from './entityIncident';
import {
  entitySast,
  integerParameter,
  readEntitySastQuery,
} from './entitySast';
import { historyWithCurrent, ScoreKeeper } from './scoreKeeper';
import { RestoreTestConfig } from '../restore-tests/config';
import {
  entityRestoreTests,
  readCreateRestoreTestRequest,
  restoreTestSummary,
  startRestoreTest,
} from './restoreTests';
import {
  readOrganisationScorecardQuery,
  readTeamScorecardQuery,
} from './scorecardQuery';
import { EntityReadCache } from './entityReadCache';
import {
  readableGroup,
  storedTeamScorecardOf,
  teamScorecard,
} from './teamScorecard';
import { StoredResponses } from './storedResponses';
import { dayOf } from '../database/rows';
import {
  organisationScorecard,
  storedOrganisationScorecard,
} from './organisationScorecard';
import { OwnershipMapKeeper, readsWholeCatalog } from './ownershipMap';
import {
  readSastUploadParameters,
  resolveUploadEntity,
  runsToIngest,
  sastReportSummary,
  uploaderOf,
} from './sastUploads';

/** Sends a body already serialised as JSON, as `res.json` would send it. */
function sendJson(res: Response, body: string) {
  res.type('application/json').send(body);
}

/**
 * The REST API under `/api/resilience`. Entity data is served only for entities the caller may
 * read in the catalog: the catalog is asked with the caller's own credentials.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  store: ResilienceStore;
  permissions: PermissionsService;
  /** The stored ownership map the scorecards read. */
  ownership: OwnershipMapKeeper;
  scheduler: SchedulerService;
  /** Names of the configured clusters; facts of clusters no longer configured are not served. */
  clusters: string[];
  /** The backup policies entities are checked against. */
  policies: PolicyConfig;
  /** The id of the scheduled collection task of a cluster. */
  collectionTaskId: (cluster: string) => string;
  renewer: CertificateRenewer;
  auditor: AuditorService;
  auth: AuthService;
  /** SAST uploads: the largest report accepted, in bytes once decompressed. */
  sast: { maxReportSize: number; defaultBranches: string[] };
  /** Computes entity scores, and stores them after uploads. */
  scoreKeeper: ScoreKeeper;
  /** `resilience.restoreTests`. */
  restoreTests: RestoreTestConfig;
  /** The id of the task that advances restore tests, triggered when one starts or is cancelled. */
  restoreTestTaskId: string;
  gradeBounds: GradeBounds;
  logger: LoggerService;
  /**
   * How long the read routes keep the catalog's answer for one caller and entity, in
   * milliseconds (`resilience.entityCache.ttl`); 0 asks the catalog every time.
   */
  entityCacheTtlMs: number;
  now?: () => Date;
}): Promise<express.Router> {
  const {
    httpAuth,
    catalog,
    store,
    clusters,
    permissions,
    scheduler,
    renewer,
    auditor,
    auth,
  } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();
  // The read routes only; what starts, cancels or renews asks the catalog afresh.
  const entityReads = new EntityReadCache({
    catalog,
    ttlMs: options.entityCacheTtlMs,
  });
  // The whole-catalog scorecards, kept per version of the stored scores and map.
  const scorecards = new StoredResponses();

  // Before express.json: the route reads the (possibly gzip-compressed) body itself, under its
  // own size limit.
  router.post('/sast/reports', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const auditorEvent = await auditor.createEvent({
      eventId: 'sast-upload',
      severityLevel: 'medium',
      request: req,
      meta: {
        entityRef:
          typeof req.query.entityRef === 'string'
            ? req.query.entityRef
            : undefined,
      },
    });
    let entityRef: string | undefined;
    let tools: string[] | undefined;
    try {
      const parameters = readSastUploadParameters(req.query, now());
      const [decision] = await permissions.authorize(
        [{ permission: resilienceSastUploadPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Uploading SAST results needs the ${resilienceSastUploadPermission.name} permission`,
        );
      }
      const document = await readJsonBody({
        req,
        limit: options.sast.maxReportSize,
        limitKey: 'resilience.sast.maxReportSize',
      });
      const report = parseSarifReport(document, parameters.repositoryRoot);
      tools = report.runs.map(r => r.toolName);
      const entity = await resolveUploadEntity({
        catalog,
        auth,
        credentials,
        entityRef: parameters.entityRef,
        report,
      });
      entityRef = stringifyEntityRef(entity);
      const uploadedAt = now();
      const stored = await store.ingestSastReports({
        entityRef,
        runs: runsToIngest({ report, parameters, now: uploadedAt }),
        uploadedBy: uploaderOf(credentials),
        uploadedAt,
      });
      const body: SastUploadResponse = {
        entityRef,
        reports: stored.map(sastReportSummary),
      };
      // The entity's code-security pillar changed: its stored score follows at once.
      try {
        await options.scoreKeeper.recompute(entity, uploadedAt);
      } catch (error) {
        options.logger.warn(
          `Stored ${entityRef}'s reports, but could not recompute its score: ${
            (error as Error).message
          }`,
        );
      }
      await auditorEvent.success({
        meta: {
          entityRef,
          reports: body.reports.map(r => ({
            id: r.id,
            tool: r.tool,
            category: r.category,
            branch: r.branch,
            findings: r.findings,
            opened: r.opened,
            fixed: r.fixed,
            applied: r.applied,
          })),
        },
      });
      res.status(201).json(body);
    } catch (error) {
      await auditorEvent.fail({
        error: error as Error,
        meta: { entityRef, tools },
      });
      throw error;
    }
  });

  router.use(express.json());

  /** The entity's Resilience view: its stored result, evaluated first if its inputs changed. */
  const resilienceOf = (entity: Entity, at: Date) =>
    options.scoreKeeper.view(entity, at);

  /**
   * The entity of the route's kind, namespace and name, if the caller may read it in the
   * catalog: the catalog's answer to this caller, kept for `entityCacheTtlMs`.
   */
  async function readableEntity(req: express.Request) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = {
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    };
    const entity = await entityReads.getEntityByRef(ref, credentials);
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(
          ref,
        )} in the catalog, or you may not read it; check the kind, namespace and name`,
      );
    }
    return entity;
  }

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

  router.post(
    '/entities/:kind/:namespace/:name/certificates/:cluster/:certificateNamespace/:certificateName/renew',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const ref = {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      };
      const entityRef = stringifyEntityRef(ref);
      const target = {
        cluster: req.params.cluster,
        namespace: req.params.certificateNamespace,
        name: req.params.certificateName,
      };
      const auditorEvent = await auditor.createEvent({
        eventId: 'certificate-renew',
        severityLevel: 'medium',
        request: req,
        meta: { entityRef, ...target },
      });
      try {
        const entity = await catalog.getEntityByRef(ref, { credentials });
        if (!entity) {
          throw new NotFoundError(
            `No entity ${entityRef} in the catalog, or you may not read it; check the kind, namespace and name`,
          );
        }
        const [decision] = await permissions.authorize(
          [
            {
              permission: resilienceCertificateRenewPermission,
              resourceRef: entityRef,
            },
          ],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            `Renewing the certificates of ${entityRef} needs the ${resilienceCertificateRenewPermission.name} permission`,
          );
        }
        // Only a certificate of this entity: the permission was granted on the entity.
        const certificate = (
          await entityCertificateSummaries({
            entity,
            store,
            clusters,
            policies: options.policies,
            now: now(),
          })
        ).find(
          c =>
            c.cluster === target.cluster &&
            c.namespace === target.namespace &&
            c.name === target.name,
        );
        if (!certificate) {
          throw new NotFoundError(
            `${entityRef} has no certificate ${target.namespace}/${target.name} in cluster ${target.cluster}; its certificates are listed by GET /entities/${ref.kind}/${ref.namespace}/${ref.name}`,
          );
        }
        if (certificate.managedBy !== 'cert-manager') {
          throw new InputError(
            `No cert-manager Certificate manages the TLS Secret ${target.namespace}/${target.name}: it is rotated by hand, so it cannot be renewed from here`,
          );
        }
        const renewal = await renewer.start({
          ...target,
          entityRef,
          requestedBy: credentials.principal.userEntityRef,
        });
        await auditorEvent.success({ meta: { renewalId: renewal.id } });
        const body: CertificateRenewalResponse = {
          renewal: renewalSummary(renewal),
        };
        res.status(202).json(body);
      } catch (error) {
        await auditorEvent.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.get('/certificate-renewals/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const renewal = await store.getCertificateRenewal(req.params.id);
    // Only for those who may read the entity it was asked for on.
    const entity =
      renewal &&
      (await catalog.getEntityByRef(renewal.entityRef, { credentials }));
    if (!renewal || !entity) {
      throw new NotFoundError(
        `No certificate renewal ${req.params.id}, or you may not read its entity`,
      );
    }
    const body: CertificateRenewalResponse = {
      renewal: renewalSummary(renewal),
    };
    res.json(body);
  });

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const entity = await readableEntity(req);
    res.json(await resilienceOf(entity, now()));
  });

  router.get('/entities/:kind/:namespace/:name/sast', async (req, res) => {
    const entity = await readableEntity(req);
    res.json(
      await entitySast({
        store,
        entity,
        policies: options.policies,
        defaultBranches: options.sast.defaultBranches,
        query: readEntitySastQuery(req.query),
        now: now(),
      }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/score', async (req, res) => {
    const entity = await readableEntity(req);
    const days = integerParameter(req.query, 'days', {
      fallback: 90,
      min: 1,
      max: 365,
    });
    const at = now();
    const { score, tier, storable, computedAt } =
      await options.scoreKeeper.result(entity, at);
    const since = new Date(at.getTime() - (days - 1) * 86_400_000);
    const history = await store.listEntityScoreHistory({
      entityRefs: [score.entityRef],
      since,
    });
    const body: EntityScoreResponse = {
      ...score,
      generatedAt: computedAt.toISOString(),
      tier,
      gradeBounds: options.gradeBounds,
      history: historyWithCurrent({
        history: history.map(p => ({
          date: p.date,
          score: p.score,
          grade: p.grade,
          pillars: p.pillars,
        })),
        // The stored result is the score now: nothing it was evaluated from has changed.
        score,
        at,
        storable,
      }),
    };
    res.json(body);
  });

  router.get('/entities/:kind/:namespace/:name/incident', async (req, res) => {
    const entity = await readableEntity(req);
    res.json(
      await entityIncident({
        entity,
        store,
        clusters,
        policies: options.policies,
        defaultBranches: options.sast.defaultBranches,
        now: now(),
      }),
    );
  });

  /** Throws unless the caller may start and cancel restore tests of the entity. */
  async function authorizeRestoreTest(
    entityRef: string,
    credentials: Awaited<ReturnType<HttpAuthService['credentials']>>,
  ) {
    const [decision] = await permissions.authorize(
      [
        {
          permission: resilienceRestoreTestCreatePermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Restore tests of ${entityRef} need the ${resilienceRestoreTestCreatePermission.name} permission`,
      );
    }
  }

  /** Starts the task that advances restore tests now rather than at its next run. */
  async function advanceRestoreTestsSoon() {
    try {
      await scheduler.triggerTask(options.restoreTestTaskId);
    } catch (error) {
      // Already running: it claims the new test at its next pass, a few seconds later.
      options.logger.debug(
        `Restore tests not advanced at once: ${(error as Error).message}`,
      );
    }
  }

  router.get(
    '/entities/:kind/:namespace/:name/restore-tests',
    async (req, res) => {
      const entity = await readableEntity(req);
      const response = await resilienceOf(entity, now());
      res.json(
        await entityRestoreTests({
          entity,
          response,
          store,
          policies: options.policies,
          config: options.restoreTests,
        }),
      );
    },
  );

  router.post('/restore-tests', async (req, res) => {
    // A person starts a test: it is recorded as theirs, and the permission is theirs.
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const auditorEvent = await auditor.createEvent({
      eventId: 'restore-test-create',
      severityLevel: 'medium',
      request: req,
      meta: { body: req.body },
    });
    try {
      const request = readCreateRestoreTestRequest(req.body);
      const entity = await catalog.getEntityByRef(request.entityRef, {
        credentials,
      });
      if (!entity) {
        throw new NotFoundError(
          `No entity ${request.entityRef} in the catalog, or you may not read it; check the entityRef`,
        );
      }
      const entityRef = stringifyEntityRef(entity);
      await authorizeRestoreTest(entityRef, credentials);
      const at = now();
      const response = await resilienceOf(entity, at);
      const test = await startRestoreTest({
        entity,
        response,
        request,
        store,
        config: options.restoreTests,
        createdBy: credentials.principal.userEntityRef,
        now: at,
      });
      await auditorEvent.success({
        meta: {
          testId: test.id,
          entityRef,
          cluster: test.cluster,
          backupName: test.backupName,
        },
      });
      await advanceRestoreTestsSoon();
      res.status(202).json(restoreTestSummary(test));
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  /** A stored test whose entity the caller may read. */
  async function readableRestoreTest(req: express.Request) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const test = await store.getRestoreTest(req.params.id);
    const entity =
      test && (await catalog.getEntityByRef(test.entityRef, { credentials }));
    if (!test || !entity) {
      throw new NotFoundError(
        `No restore test ${req.params.id}, or you may not read its entity`,
      );
    }
    return { test, credentials };
  }

  router.get('/restore-tests/:id', async (req, res) => {
    const { test } = await readableRestoreTest(req);
    res.json(restoreTestSummary(test));
  });

  router.post('/restore-tests/:id/cancel', async (req, res) => {
    const auditorEvent = await auditor.createEvent({
      eventId: 'restore-test-cancel',
      severityLevel: 'medium',
      request: req,
      meta: { testId: req.params.id },
    });
    try {
      const { test, credentials } = await readableRestoreTest(req);
      if (credentials.principal.type !== 'user') {
        throw new NotAllowedError('Only a user may cancel a restore test');
      }
      await authorizeRestoreTest(test.entityRef, credentials);
      if (!(await store.requestRestoreTestCancel(test.id))) {
        throw new ConflictError(
          `Restore test ${test.id} is ${test.state}: ${
            test.state === 'cleaning-up'
              ? 'its outcome is known and its clean-up goes on'
              : 'it is over'
          }; there is nothing to cancel`,
        );
      }
      await auditorEvent.success({ meta: { entityRef: test.entityRef } });
      await advanceRestoreTestsSoon();
      res
        .status(202)
        .json(restoreTestSummary((await store.getRestoreTest(test.id))!));
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  // Scorecards: for a caller who may read the whole catalog, from the stored ownership map and
  // scores; for one who may read some of it, the catalog is asked with the caller's credentials,
  // so that an entity or group the caller may not read counts nowhere, neither in the lists nor
  // in the summaries and trends.
  router.get('/groups/:namespace/:name/scorecard', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = readTeamScorecardQuery(req.query);
    const scorecard = {
      catalog,
      credentials,
      store,
      readEntity: (ref: CompoundEntityRef) =>
        entityReads.getEntityByRef(ref, credentials),
      group: {
        kind: 'Group',
        namespace: req.params.namespace,
        name: req.params.name,
      },
      query,
      now: now(),
    };
    if (await readsWholeCatalog({ permissions, credentials })) {
      await options.ownership.ready();
      // The group is looked up for each caller; what it shows is the same for all of them.
      const groupRef = stringifyEntityRef(await readableGroup(scorecard));
      const version = await store.scorecardsVersion();
      const day = dayOf(scorecard.now);
      sendJson(
        res,
        await scorecards.read(
          JSON.stringify([
            'team',
            groupRef.toLocaleLowerCase('en-US'),
            query,
            day,
          ]),
          version,
          () =>
            storedTeamScorecardOf({
              store,
              groupRef,
              query,
              now: scorecard.now,
            }),
        ),
      );
    } else {
      res.json(await teamScorecard(scorecard));
    }
  });

  router.get('/scorecard', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = readOrganisationScorecardQuery(req.query);
    if (await readsWholeCatalog({ permissions, credentials })) {
      await options.ownership.ready();
      const version = await store.scorecardsVersion();
      const at = now();
      sendJson(
        res,
        await scorecards.read(
          JSON.stringify(['organisation', query, dayOf(at)]),
          version,
          () => storedOrganisationScorecard({ store, query, now: at }),
        ),
      );
    } else {
      res.json(
        await organisationScorecard({
          catalog,
          credentials,
          store,
          query,
          now: now(),
        }),
      );
    }
  });

  return router;
}
