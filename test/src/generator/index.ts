export * from './demo';
export { DEMO_EXCLUDED_VOLUME, generateDemoCluster } from './generate';
export type { GenerateOptions, ManifestObject } from './generate';
export { writeManifests } from './write';
