/**
 * Types, annotation names and permissions shared by the Resilience plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './types';
export * from './certificates';
export * from './sast';
export * from './incident';
export * from './scores';
export * from './backupOrder';
export * from './restoreTests';
