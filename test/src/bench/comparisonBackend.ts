/*
 * The backend of the side-by-side comparison of `yarn bench`: the bench's backend (backend.ts)
 * with Tech Insights, answering the equivalent checks over the facts the Resilience plugin
 * measured, and Backstage's Kubernetes plugin on the same cluster (see backendConfig.ts).
 */
import { createBackend } from '@backstage/backend-defaults';
import { resilienceFactsModule } from './techInsights';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
// This file is a backend package of the bench: wiring plugins is what a backend is for.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
backend.add(import('@resilience-for-backstage/plugin-resilience-backend'));
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
);
backend.add(resilienceFactsModule);
backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.start();
