import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityResilienceResponse } from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceApi } from './ResilienceApi';

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
      `/entities/${[kind, namespace, name].map(encodeURIComponent).join('/')}`,
    );
  }

  private async request<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('resilience');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
