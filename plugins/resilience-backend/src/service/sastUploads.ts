import {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SastReportSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { SastRunToIngest, StoredSastReport } from '../database/ResilienceStore';
import { NormalisedReport } from '../sast/types';
import {
  sourceLocationInRepository,
  sourceLocationPrefix,
} from '../sast/repositoryUrl';

/** The branch of a report that names none, neither in the upload nor in the SARIF log. */
export const DEFAULT_SAST_BRANCH = 'default';

/** How far ahead of the server's clock a `scannedAt` parameter may be (clock skew). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The query parameters of `POST /sast/reports`. */
export interface SastUploadParameters {
  entityRef?: string;
  branch?: string;
  commit?: string;
  scannedAt?: Date;
  /**
   * Where the scanner ran (a path or `file:` URI), for scanners that write absolute `file://`
   * URIs: paths under it are stored relative to the repository.
   */
  repositoryRoot?: string;
}

function single(
  query: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(
      `The ${name} query parameter must be given once, with a value`,
    );
  }
  return value.trim();
}

/** `refs/heads/main` is the branch `main`, as CI systems and SARIF producers write either. */
function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}

/** Reads and checks the query parameters, before the body is read. */
export function readSastUploadParameters(
  query: Record<string, unknown>,
  now: Date,
): SastUploadParameters {
  const entityRef = single(query, 'entityRef');
  if (entityRef) {
    try {
      parseEntityRef(entityRef, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
    } catch (error) {
      throw new InputError(
        `entityRef "${entityRef}" is not an entity reference such as component:default/payments: ${
          (error as Error).message
        }`,
      );
    }
  }
  const scannedAtText = single(query, 'scannedAt');
  let scannedAt: Date | undefined;
  if (scannedAtText) {
    scannedAt = new Date(scannedAtText);
    if (Number.isNaN(scannedAt.getTime())) {
      throw new InputError(
        `scannedAt "${scannedAtText}" is not an ISO 8601 time such as 2026-11-25T08:00:00Z`,
      );
    }
    if (scannedAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw new InputError(
        `scannedAt ${scannedAtText} is in the future; give the time the scan ran`,
      );
    }
  }
  const branch = single(query, 'branch');
  return {
    entityRef,
    branch: branch ? branchName(branch) : undefined,
    commit: single(query, 'commit'),
    scannedAt,
    repositoryRoot: single(query, 'repositoryRoot'),
  };
}

/** Who uploaded: a user's entity reference, or a service principal's subject. */
export function uploaderOf(
  credentials: BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >,
): string {
  const principal = credentials.principal;
  return principal.type === 'user'
    ? principal.userEntityRef
    : principal.subject;
}

/**
 * The catalog entity an upload is for: the one named by `entityRef`, else the one whose
 * `backstage.io/source-location` is in the repository the SARIF log names.
 *
 * Users see the catalog as their permissions let them. A service principal (a CI pipeline's
 * external access token) is looked up with the plugin's own credentials: the catalog would show
 * it everything anyway, and asking on its behalf would need its token to reach the catalog too,
 * which would let it call the whole catalog API.
 */
export async function resolveUploadEntity(options: {
  catalog: CatalogService;
  auth: AuthService;
  credentials: BackstageCredentials;
  entityRef?: string;
  report: NormalisedReport;
}): Promise<Entity> {
  const { catalog, auth, report } = options;
  const credentials = auth.isPrincipal(options.credentials, 'user')
    ? options.credentials
    : await auth.getOwnServiceCredentials();

  if (options.entityRef) {
    const ref = parseEntityRef(options.entityRef, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(
          ref,
        )} in the catalog, or you may not read it; check the entityRef parameter`,
      );
    }
    return entity;
  }

  const repositories = [
    ...new Set(
      report.runs.map(r => r.repositoryUri).filter((u): u is string => !!u),
    ),
  ];
  if (repositories.length === 0) {
    throw new InputError(
      'Name the entity with the entityRef query parameter (for example entityRef=component:default/payments): the report names no repository (versionControlProvenance[].repositoryUri) to find it by',
    );
  }
  const matches = new Map<string, Entity>();
  for (const repositoryUrl of repositories) {
    const prefix = sourceLocationPrefix(repositoryUrl);
    if (!prefix) continue;
    const { items } = await catalog.queryEntities(
      {
        query: {
          [`metadata.annotations.${ANNOTATION_SOURCE_LOCATION}`]: {
            $hasPrefix: prefix,
          },
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
        limit: 100,
      },
      { credentials },
    );
    for (const entity of items) {
      const sourceLocation =
        entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
      if (
        sourceLocation &&
        sourceLocationInRepository({ sourceLocation, repositoryUrl })
      ) {
        matches.set(stringifyEntityRef(entity), entity);
      }
    }
  }
  if (matches.size === 0) {
    throw new NotFoundError(
      `No entity in the catalog has a ${ANNOTATION_SOURCE_LOCATION} annotation in ${repositories.join(
        ', ',
      )}, or you may not read it; name the entity with the entityRef query parameter`,
    );
  }
  if (matches.size > 1) {
    throw new InputError(
      `Several entities come from ${repositories.join(', ')}: ${[
        ...matches.keys(),
      ]
        .sort()
        .join(', ')}; name one with the entityRef query parameter`,
    );
  }
  return [...matches.values()][0];
}

/**
 * Where and when each run was scanned: the query parameters first, then what the SARIF log
 * says, then the defaults (branch `default`, the upload time). A time the log gives in the
 * future (a skewed clock) becomes the upload time, so that it cannot hide later scans.
 */
export function runsToIngest(options: {
  report: NormalisedReport;
  parameters: SastUploadParameters;
  now: Date;
}): SastRunToIngest[] {
  const { report, parameters, now } = options;
  return report.runs.map(run => {
    const startedAt =
      run.startedAt && run.startedAt.getTime() <= now.getTime()
        ? run.startedAt
        : undefined;
    return {
      run,
      branch:
        parameters.branch ??
        (run.branch ? branchName(run.branch) : DEFAULT_SAST_BRANCH),
      commit: parameters.commit ?? run.revisionId,
      scannedAt: parameters.scannedAt ?? startedAt ?? now,
    };
  });
}

/** A stored report as the API shows it. */
export function sastReportSummary(report: StoredSastReport): SastReportSummary {
  return {
    id: report.id,
    tool: report.toolName,
    toolVersion: report.toolVersion,
    category: report.category,
    branch: report.branch,
    commit: report.commit,
    scannedAt: report.scannedAt.toISOString(),
    uploadedAt: report.uploadedAt.toISOString(),
    uploadedBy: report.uploadedBy,
    findings: report.counts,
    suppressed: report.suppressed,
    opened: report.opened,
    fixed: report.fixed,
    applied: report.applied,
  };
}
