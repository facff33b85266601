export * from './demo';
export { generateScaleCatalog } from './catalog';
export type { CatalogEntity } from './catalog';
export { DEMO_EXCLUDED_VOLUME, generateDemoCluster } from './generate';
export type { GenerateOptions, ManifestObject } from './generate';
export { generateDemoSast } from './sast';
export type { DemoSarifLog, DemoSastTool, DemoSastUpload } from './sast';
export { writeCatalog, writeManifests, writeSastPlan } from './write';
