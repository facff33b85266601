/*
 * What the bench's comparison backend runs beside the Resilience plugin, as an adopter of Tech
 * Insights would to answer the same questions: a fact retriever that stores, per Component, the
 * values the plugin measured (read from the plugin's score route), and JSON rules that hold them
 * against the same thresholds, the plugin's default policy tier.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  FactRetriever,
  techInsightsFactRetrieversExtensionPoint,
} from '@backstage-community/plugin-tech-insights-node';
import {
  EQUIVALENT_CHECKS,
  factsOfScore,
  RESILIENCE_FACTS,
  ScoreBody,
} from './techInsightsChecks';

/** Runs `fn` over `items`, at most `limit` at once. */
async function eachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const resilienceFactRetriever: FactRetriever = {
  id: RESILIENCE_FACTS,
  version: '0.1.0',
  title: 'Resilience (bench)',
  description:
    "The values the Resilience plugin measured for a Component's checks",
  entityFilter: [{ kind: 'component' }],
  schema: Object.fromEntries(
    EQUIVALENT_CHECKS.map(check => [
      check.fact,
      {
        type: 'float',
        description: `The value of the plugin's ${check.checkId}, in seconds`,
      },
    ]),
  ),
  async handler({ discovery, auth }) {
    const token = async (targetPluginId: string) =>
      (
        await auth.getPluginRequestToken({
          onBehalfOf: await auth.getOwnServiceCredentials(),
          targetPluginId,
        })
      ).token;
    const getJson = async <T>(url: string, bearer: string): Promise<T> => {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
      return (await res.json()) as T;
    };

    const catalog = await discovery.getBaseUrl('catalog');
    const catalogToken = await token('catalog');
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page: {
        items: Array<{ metadata: { name: string; namespace?: string } }>;
        pageInfo: { nextCursor?: string };
      } = await getJson(
        `${catalog}/entities/by-query?limit=1000&fields=metadata.name,metadata.namespace&${
          cursor
            ? `cursor=${encodeURIComponent(cursor)}`
            : 'filter=kind%3Dcomponent'
        }`,
        catalogToken,
      );
      names.push(...page.items.map(e => e.metadata.name));
      cursor = page.pageInfo.nextCursor;
    } while (cursor);

    const resilience = await discovery.getBaseUrl('resilience');
    const resilienceToken = await token('resilience');
    const facts: Array<{
      entity: { namespace: string; kind: string; name: string };
      facts: Record<string, number>;
    }> = [];
    await eachLimited(names, 8, async name => {
      const score = await getJson<ScoreBody>(
        `${resilience}/entities/component/default/${name}/score?days=1`,
        resilienceToken,
      );
      facts.push({
        entity: { namespace: 'default', kind: 'component', name },
        facts: factsOfScore(score),
      });
    });
    return facts;
  },
};

/** Adds the retriever to Tech Insights. */
export const resilienceFactsModule = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'resilience-bench-facts',
  register(env) {
    env.registerInit({
      deps: { retrievers: techInsightsFactRetrieversExtensionPoint },
      async init({ retrievers }) {
        retrievers.addFactRetrievers({
          [RESILIENCE_FACTS]: resilienceFactRetriever,
        });
      },
    });
  },
});
