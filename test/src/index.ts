/**
 * Test tools of Resilience for Backstage: the Kubernetes API emulator and the demo-cluster
 * generator.
 *
 * @packageDocumentation
 */

export * from './emulator';
export * from './tls/certificates';
