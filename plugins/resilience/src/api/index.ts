export { resilienceApiRef } from './ResilienceApi';
export type { EntitySastOptions, ResilienceApi } from './ResilienceApi';
export { ResilienceClient } from './ResilienceClient';
