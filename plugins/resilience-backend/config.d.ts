import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Resilience plugin. */
  resilience?: {
    /**
     * Kubernetes clusters to collect backups, snapshots and certificates from. When absent, the
     * entries of type `config` under `kubernetes.clusterLocatorMethods` are used (those with
     * `authProvider: serviceAccount`), so that a cluster is configured only once.
     */
    clusters?: Array<{
      /** Unique name of the cluster, a lowercase DNS label; shown in the portal. */
      name: string;
      /**
       * URL of the cluster's Kubernetes API server. Set either this (with a token) or
       * `kubeconfig`.
       */
      url?: string;
      /**
       * Service-account token to call the API server with.
       * @visibility secret
       */
      token?: string;
      /**
       * Service-account token, under the key the Kubernetes plugin uses; same as `token`.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * File holding the service-account token. Re-read when it changes, so that rotated
       * in-cluster tokens are picked up without a restart.
       */
      tokenFile?: string;
      /**
       * Certificate authority bundle of the API server, base64-encoded PEM (as in a kubeconfig).
       * @visibility secret
       */
      caData?: string;
      /** File holding the API server's certificate authority bundle (PEM); re-read when it changes. */
      caFile?: string;
      /** Skips verification of the API server's certificate. For development only. */
      skipTLSVerify?: boolean;
      /**
       * Path of a kubeconfig file to use instead of `url`/`token`; re-read when it changes.
       */
      kubeconfig?: string;
      /** Context of `kubeconfig` to use; its current context when absent. */
      context?: string;
      /** Namespace Velero is installed in. Defaults to `velero`. */
      veleroNamespace?: string;
    }>;

    /**
     * The backup and certificate policies entities are checked against: named tiers, chosen
     * per entity with the `resilience.io/tier` annotation. When absent, one tier `standard`
     * applies: RPO 24 hours, retention 7 days, the last 5 backups looked at for failures, and
     * certificates warned about 28 days and failed 14 days before expiry, at most 90 days long.
     */
    policies?: {
      /**
       * The tier of entities without a `resilience.io/tier` annotation. Needed when there are
       * several tiers; the only tier otherwise.
       */
      defaultTier?: string;
      /** Tiers by name (lowercase letters, digits and dashes), for example `critical`. */
      tiers: {
        [name: string]: {
          /**
           * Recovery point objective: the oldest a claim's last good backup may be, and the
           * longest gap a schedule may leave between runs. `{ hours: 24 }` or `PT24H`.
           */
          rpo: HumanDuration | string;
          /** How long every backup must be kept (its TTL). `{ days: 7 }` or `P7D`. */
          retention: HumanDuration | string;
          /**
           * How many of the latest finished backups that include an entity's claims must all
           * have completed, per cluster. 1 to 100; 5 by default.
           */
          recentBackups?: number;
          /**
           * The certificate thresholds of the tier's entities. Each key has a default, so the
           * whole object is optional.
           */
          certificates?: {
            /**
             * Below this much time before a certificate's `notAfter`, `certificate.expiry` warns.
             * Must be larger than `expiryFailure`. `{ days: 28 }` (the default) or `P28D`.
             */
            expiryWarning?: HumanDuration | string;
            /**
             * Below this much time before a certificate's `notAfter` (and once it has expired),
             * `certificate.expiry` fails. `{ days: 14 }` (the default) or `P14D`.
             */
            expiryFailure?: HumanDuration | string;
            /**
             * The longest lifetime (`notAfter` minus `notBefore`) `certificate.lifetime`
             * accepts. `{ days: 90 }` (the default) or `P90D`.
             */
            maxLifetime?: HumanDuration | string;
          };
          /** The recovery thresholds of the tier. */
          recovery?: {
            /**
             * The recovery time objective: the longest a restore may take, compared with the RTO
             * the latest successful restore test measured (`recovery.rto`). Unset, that check is
             * not applicable. An entity can set its own with `resilience.io/rto`.
             */
            rto?: HumanDuration | string;
            /**
             * The oldest the latest successful restore test may be (`recovery.restore-test-age`);
             * `{ days: 30 }` by default.
             */
            maxTestAge?: HumanDuration | string;
          };
          /** The code-security thresholds of the tier; each key has a default. */
          sast?: {
            /**
             * The longest a high finding may stay open on the default branch before
             * `sast.high-age` fails. `{ days: 30 }` (the default) or `P30D`.
             */
            highFindingSla?: HumanDuration | string;
            /**
             * The oldest the latest scan of the default branch by each tool may be, for
             * `sast.scan-freshness` and `sast.required-tools`. `{ days: 7 }` (the default).
             */
            scanMaxAge?: HumanDuration | string;
            /**
             * Scanners that must have scanned the default branch within `scanMaxAge`, by their
             * SARIF `tool.driver.name`, for example `secretlint`. None by default.
             */
            requiredTools?: string[];
          };
          /** Which checks apply to the tier's entities. */
          checks?: {
            /**
             * Checks that do not apply to the tier, by id (`backup.schedule`, or the id of a check
             * another module adds): they show as not applicable and do not count in the score.
             * An id that is no check fails start-up.
             */
            exclude?: string[];
          };
        };
      };
    };

    /** Certificate renewals asked for from the portal. */
    certificateRenewal?: {
      /**
       * How long cert-manager may take to issue the new revision and report it Ready before the
       * renewal counts as failed. `{ minutes: 5 }` (the default) or `PT5M`.
       */
      timeout?: HumanDuration | string;
      /**
       * How often the renewals in progress are checked, on one replica at a time.
       * `{ seconds: 5 }` (the default) or `PT5S`.
       */
      followInterval?: HumanDuration | string;
    };

    /**
     * Restore tests started from the portal: a Velero Restore of one backup into throw-away
     * namespaces, verified, timed and cleaned up.
     */
    restoreTests?: {
      /**
       * The start of every test namespace's name, followed by 8 hex digits of the test's id;
       * `restore-test-` by default. Lowercase letters, digits and dashes, at most 50 characters.
       */
      namespacePrefix?: string;
      /**
       * How long the restore and its verification may take together before the test fails
       * (and is cleaned up); `{ minutes: 30 }` by default.
       */
      timeout?: HumanDuration | string;
      /** How often tests in flight are advanced; `{ seconds: 5 }` by default. */
      followInterval?: HumanDuration | string;
      /**
       * How long a replica holds a test between two of its steps: when a replica stops (a crash,
       * a deploy), another takes its tests over after this long. Longer than a pass takes;
       * `{ minutes: 1 }` by default.
       */
      lease?: HumanDuration | string;
      /** How many tests of one cluster run at once (1 to 20); more wait. 1 by default. */
      concurrency?: number;
      /**
       * How soon after an entity's last test another may start for it; `{ minutes: 10 }` by
       * default.
       */
      minInterval?: HumanDuration | string;
      /** Configured clusters where restore tests may not run. */
      disabledClusters?: string[];
    };

    /** How entities are scored. */
    scorecards?: {
      /**
       * When what each group owns (the ownedBy relations of the scored entities, and the
       * groups below each group) is read again from the catalog for the team and organisation
       * scorecards of callers who may read the whole catalog. Every 5 minutes
       * by default; also after a scoring that stored entities the map does not have.
       */
      ownershipSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /**
     * The read routes (an entity's view, score, tables and restore tests, a team's scorecard)
     * ask the catalog for the entity with the caller's credentials, and keep its answer for
     * that caller and entity this long, so that the requests of one page and its polls do not
     * each ask again. Each caller gets only the catalog's answer to that caller. What starts,
     * cancels or renews anything always asks the catalog afresh.
     */
    entityCache?: {
      /**
       * 5 seconds by default; at most 1 hour; `{ seconds: 0 }` asks the catalog for every
       * request. A change in the catalog, or in what a caller may read there, reaches these
       * routes within it.
       */
      ttl?: HumanDuration | string;
    };
    scoring?: {
      /**
       * The weight of each pillar in the entity score, from 0 (left out) to 100; 1 each by
       * default. The entity score is the weighted mean of the pillars that have data.
       */
      weights?: {
        backups?: number;
        recovery?: number;
        certificates?: number;
        codeSecurity?: number;
      };
      /**
       * The lowest score of each grade, each below the one before; 90, 80, 70, 60 and 50 by
       * default. Below E is F; an entity without data has no grade.
       */
      grades?: { A?: number; B?: number; C?: number; D?: number; E?: number };
      /**
       * When every scored entity's score is recomputed and stored (besides after each
       * collection and upload); a point a day is kept for the trends. Every 6 hours by default.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * The longest an entity's stored result (its view, checks and score) is served before it
       * is evaluated again although none of its inputs changed and none of its verdicts is due to
       * change with the clock: the ages it shows, and checks added by modules, which may read
       * anything, are then at most this old. A duration such as `{ minutes: 10 }` or an ISO 8601
       * string; 10 minutes by default.
       */
      resultMaxAge?: HumanDuration | string;
    };

    /** SAST results uploaded as SARIF (`POST /api/resilience/sast/reports`). */
    sast?: {
      /**
       * The largest SARIF report accepted, in bytes, once decompressed: a larger upload (or a
       * gzip body that inflates beyond it) is refused with 413 as soon as it crosses the limit.
       * 52428800 (50 MB) by default.
       */
      maxReportSize?: number;
      /**
       * The branches whose reports the code-security checks read, as uploads name them
       * (`refs/heads/` dropped), for entities without a `resilience.io/sast-default-branch`
       * annotation; an upload that names no branch is stored as `default`.
       * `[main, master, default]` by default.
       */
      defaultBranches?: string[];
    };

    /** The history kept of objects that disappeared from their cluster. */
    history?: {
      /**
       * How long a backup (or other fact) is kept after it disappeared from its cluster, for
       * example after Velero expired it, so that teams can see which recovery points existed.
       * A duration such as `{ days: 365 }` (the default) or an ISO 8601 duration string.
       */
      retention?: HumanDuration | string;
    };

    /** How collection runs. */
    collection?: {
      /**
       * When each cluster is collected. Each cluster is its own task, run on one replica at a
       * time. Defaults to every 10 minutes, with a 15-minute timeout and a 15-second initial delay.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Objects requested per page when listing (`limit`). Defaults to 500; 1 to 10000. */
      pageSize?: number;
      /**
       * Watches Velero's Backups (with the VolumeSnapshots, VolumeSnapshotContents, DataUploads
       * and PodVolumeBackups of their data), Schedules, Restores and BackupStorageLocations, and
       * cert-manager's Certificates between collections, so that a change is collected and
       * scored within seconds instead of at the next scheduled collection; the schedule stays,
       * as the safety net. Needs the `watch` verb on those resources. Defaults to true; false
       * collects on the schedule only.
       */
      watch?: boolean;
    };
  };
}
