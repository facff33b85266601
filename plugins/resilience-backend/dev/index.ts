/*
 * The demo portal's backend: the catalog (reading the repository's catalog-info.yaml), guest
 * sign-in, and the Resilience plugin. `yarn start` at the repository root runs it together with
 * the emulated cluster and the frontend; see the README.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('../src'));

backend.start();
