export * from './demo';
export { generateDemoCluster } from './generate';
export type { GenerateOptions, ManifestObject } from './generate';
export { writeManifests } from './write';
