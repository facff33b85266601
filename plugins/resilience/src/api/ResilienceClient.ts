import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CertificateRenewalResponse,
  CreateRestoreTestRequest,
  EntityIncidentResponse,
  EntityResilienceResponse,
  EntityRestoreTestsResponse,
  EntitySastResponse,
  EntityScoreResponse,
  OrganisationScorecardResponse,
  RestoreTestSummary,
  TeamScorecardResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  EntitySastOptions,
  EntityScoreOptions,
  OrganisationScorecardOptions,
  ResilienceApi,
  TeamScorecardQuery,
} from './ResilienceApi';

/** Path segments, each encoded, so that a `/` in a name stays inside its segment. */
function encodePath(...segments: string[]): string {
  return segments.map(encodeURIComponent).join('/');
}

/**
 * `?a=1&b=2` of the parameters that are set, or nothing: a parameter left out takes the backend's
 * default, so an undefined one must not be sent as the string `undefined`.
 */
function queryString(
  parameters: Record<string, string | number | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== undefined) query.set(key, String(value));
  }
  const search = query.toString();
  return search ? `?${search}` : '';
}

/**
 * The default {@link ResilienceApi}: calls the backend plugin through the discovery and fetch
 * APIs, so that the user's Backstage token goes with every request.
 *
 * @public
 */
export class ResilienceClient implements ResilienceApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityResilience(
    entityRef: CompoundEntityRef,
  ): Promise<EntityResilienceResponse> {
    const { kind, namespace, name } = entityRef;
    return this.request<EntityResilienceResponse>(
      `/entities/${encodePath(kind, namespace, name)}`,
    );
  }

  async renewCertificate(options: {
    entityRef: CompoundEntityRef;
    cluster: string;
    namespace: string;
    name: string;
  }): Promise<CertificateRenewalResponse> {
    const { entityRef, cluster, namespace, name } = options;
    return this.request<CertificateRenewalResponse>(
      `/entities/${encodePath(
        entityRef.kind,
        entityRef.namespace,
        entityRef.name,
      )}/certificates/${encodePath(cluster, namespace, name)}/renew`,
      { method: 'POST' },
    );
  }

  async getCertificateRenewal(id: string): Promise<CertificateRenewalResponse> {
    return this.request<CertificateRenewalResponse>(
      `/certificate-renewals/${encodePath(id)}`,
    );
  }

  async getEntitySast(
    entityRef: CompoundEntityRef,
    options: EntitySastOptions = {},
  ): Promise<EntitySastResponse> {
    const { kind, namespace, name } = entityRef;
    const query = new URLSearchParams();
    if (options.branch !== undefined) query.set('branch', options.branch);
    if (options.offset !== undefined) {
      query.set('offset', String(options.offset));
    }
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.severities && options.severities.length > 0) {
      query.set('severity', options.severities.join(','));
    }
    if (options.days !== undefined) query.set('days', String(options.days));
    const search = query.toString();
    return this.request<EntitySastResponse>(
      `/entities/${encodePath(kind, namespace, name)}/sast${
        search ? `?${search}` : ''
      }`,
    );
  }

  async getEntityIncident(
    entityRef: CompoundEntityRef,
  ): Promise<EntityIncidentResponse> {
    const { kind, namespace, name } = entityRef;
    return this.request<EntityIncidentResponse>(
      `/entities/${encodePath(kind, namespace, name)}/incident`,
    );
  }

  async getEntityScore(
    entityRef: CompoundEntityRef,
    options: EntityScoreOptions = {},
  ): Promise<EntityScoreResponse> {
    const { kind, namespace, name } = entityRef;
    return this.request<EntityScoreResponse>(
      `/entities/${encodePath(kind, namespace, name)}/score${queryString({
        days: options.days,
      })}`,
    );
  }

  async getTeamScorecard(
    groupRef: CompoundEntityRef,
    query: TeamScorecardQuery = {},
  ): Promise<TeamScorecardResponse> {
    const { namespace, name } = groupRef;
    return this.request<TeamScorecardResponse>(
      `/groups/${encodePath(namespace, name)}/scorecard${queryString({
        offset: query.offset,
        limit: query.limit,
        sort: query.sort,
        order: query.order,
        // An empty filter is no filter: the backend would reject an empty grade.
        grade:
          query.grades && query.grades.length > 0
            ? query.grades.join(',')
            : undefined,
        pillar: query.pillar,
        days: query.days,
      })}`,
    );
  }

  async getOrganisationScorecard(
    options: OrganisationScorecardOptions = {},
  ): Promise<OrganisationScorecardResponse> {
    return this.request<OrganisationScorecardResponse>(
      `/scorecard${queryString({ days: options.days })}`,
    );
  }

  async createRestoreTest(
    request: CreateRestoreTestRequest,
  ): Promise<RestoreTestSummary> {
    return this.request<RestoreTestSummary>('/restore-tests', {
      method: 'POST',
      body: request,
    });
  }

  async getRestoreTest(id: string): Promise<RestoreTestSummary> {
    return this.request<RestoreTestSummary>(`/restore-tests/${encodePath(id)}`);
  }

  async cancelRestoreTest(id: string): Promise<RestoreTestSummary> {
    return this.request<RestoreTestSummary>(
      `/restore-tests/${encodePath(id)}/cancel`,
      { method: 'POST' },
    );
  }

  async getEntityRestoreTests(
    entityRef: CompoundEntityRef,
  ): Promise<EntityRestoreTestsResponse> {
    const { kind, namespace, name } = entityRef;
    return this.request<EntityRestoreTestsResponse>(
      `/entities/${encodePath(kind, namespace, name)}/restore-tests`,
    );
  }

  /** Calls the backend; a `body` is sent as JSON. */
  private async request<T>(
    path: string,
    options: { method?: 'GET' | 'POST'; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('resilience');
    const init: RequestInit = { method: options.method };
    if (options.body !== undefined) {
      init.body = JSON.stringify(options.body);
      // Without it the backend's JSON parser leaves the body empty.
      init.headers = { 'Content-Type': 'application/json' };
    }
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
