export * from './demo';
export { DEMO_EXCLUDED_VOLUME, generateDemoCluster } from './generate';
export type { GenerateOptions, ManifestObject } from './generate';
export { generateDemoSast } from './sast';
export type { DemoSarifLog, DemoSastTool, DemoSastUpload } from './sast';
export { writeManifests, writeSastPlan } from './write';
