import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({
  id: 'resilience',
});

/** The organisation's page, every team ranked; the app mounts it, at `/resilience` by habit. */
export const scorecardRouteRef = createRouteRef({
  id: 'resilience-scorecard',
});
