export { resilienceApiRef } from './ResilienceApi';
export type { ResilienceApi } from './ResilienceApi';
export { ResilienceClient } from './ResilienceClient';
