import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CertificateRenewalResponse,
  EntityIncidentResponse,
  EntityResilienceResponse,
  EntitySastResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import { EntitySastOptions, ResilienceApi } from './ResilienceApi';

/** Path segments, each encoded, so that a `/` in a name stays inside its segment. */
function encodePath(...segments: string[]): string {
  return segments.map(encodeURIComponent).join('/');
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

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('resilience');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
