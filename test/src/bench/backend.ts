/*
 * The backend `yarn bench` measures, as a Backstage installation would run it: the catalog,
 * guest sign-in and the Resilience plugin, configured by the file the bench passes with
 * `--config` (see backendConfig.ts).
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
// This file is the bench's backend package: wiring plugins is what a backend is for.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
backend.add(import('@resilience-for-backstage/plugin-resilience-backend'));

backend.start();
