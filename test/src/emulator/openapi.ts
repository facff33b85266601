import { createHash } from 'node:crypto';
import { Cluster } from './cluster';
import { groupVersion } from './resources';

/**
 * OpenAPI v3 documents, only as much as kubectl reads: `/openapi/v3` lists a document per group
 * version, and each document has the resources' PATCH operations tagged with their
 * `x-kubernetes-group-version-kind` and the `fieldValidation` parameter. From that kubectl learns
 * that the server validates fields itself and sends `fieldValidation=Strict` instead of
 * downloading schemas to validate on the client (which would need `/openapi/v2`).
 */
export function openApiDocument(cluster: Cluster, gv: string) {
  const resources = cluster.resources.filter(r => groupVersion(r) === gv);
  if (resources.length === 0) return undefined;
  const prefix = resources[0].group ? `/apis/${gv}` : `/api/${gv}`;
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const item = r.namespaced
      ? `${prefix}/namespaces/{namespace}/${r.plural}/{name}`
      : `${prefix}/${r.plural}/{name}`;
    const operation = (action: string) => ({
      operationId: `${action}${r.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: [
        {
          name: 'dryRun',
          in: 'query',
          schema: { type: 'string', uniqueItems: true },
        },
        {
          name: 'fieldManager',
          in: 'query',
          schema: { type: 'string', uniqueItems: true },
        },
        {
          name: 'fieldValidation',
          in: 'query',
          schema: { type: 'string', uniqueItems: true },
        },
      ],
      responses: { '200': { description: 'OK' } },
    });
    paths[item] = {
      get: operation('get'),
      put: operation('put'),
      patch: operation('patch'),
      delete: operation('delete'),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}

/** The `/openapi/v3` index: one entry per group version, with a content hash for caching. */
export function openApiIndex(cluster: Cluster) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of [...new Set(cluster.resources.map(groupVersion))]) {
    const path = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiDocument(cluster, gv)))
      .digest('hex')
      .slice(0, 64)
      .toUpperCase();
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}
