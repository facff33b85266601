import type { CertificateSummary } from './certificates';
import type { BackupSummary } from './types';

/**
 * A namespace an entity runs in.
 *
 * @public
 */
export interface EntityNamespace {
  cluster: string;
  namespace: string;
}

/**
 * Response of `GET /api/resilience/entities/:kind/:namespace/:name/incident`: what to restore
 * and what to rotate when the entity is compromised.
 *
 * @public
 */
export interface EntityIncidentResponse {
  entityRef: string;
  /** ISO 8601 time the response was computed; ages are relative to it. */
  generatedAt: string;
  /**
   * Whether any SAST report of a default branch was uploaded for the entity; when not, every
   * backup is `unknown` and there is no known-good one.
   */
  scanned: boolean;
  /** Critical and high findings open now on the default branches. */
  openFindings: { critical: number; high: number };
  /**
   * The newest `Completed` backup that includes one of the entity's claims, still exists, and is
   * marked `known-good`: the one a restore goes to by default. Null when there is none.
   */
  latestKnownGood: BackupSummary | null;
  /**
   * How old its data is: seconds between its `startTimestamp` (its creation without one) and the
   * response, as `backup.rpo` counts a recovery point; null when there is none.
   */
  latestKnownGoodAgeSeconds: number | null;
  /**
   * The `Completed` backups of the entity's claims that still exist, started after the latest
   * known-good one (all of them when there is none), and are marked `vulnerable`: newest first.
   */
  vulnerableSince: BackupSummary[];
  /** The namespaces of the entity's objects (claims, pods, certificates, Secrets, Ingresses). */
  namespaces: EntityNamespace[];
  /**
   * Every TLS certificate whose Secret lives in one of `namespaces`, the entity's own and its
   * neighbours': after a compromise, each is a key to rotate. Soonest `notAfter` first.
   */
  certificates: CertificateSummary[];
}
