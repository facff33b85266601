/**
 * What is wrong (or not) with the certificate of a demo service's Ingress, made real by the
 * emulator's simulated cert-manager from the Certificate's annotations and spec:
 *
 * - `healthy`: 90 days, `rotationPolicy: Always`, issued at start;
 * - `expiring-soon`: issued 70 days before the emulator started: 20 days left (below the
 *   28-day warning, above the 14-day failure); `renewBefore: 360h`, so its renewal is due in
 *   5 days;
 * - `expiring-very-soon`: issued 82 days before: 8 days left; renewal (a third of the lifetime
 *   before `notAfter`) was due 22 days ago;
 * - `rotation-never`: `rotationPolicy: Never`, otherwise healthy;
 * - `failing-issuance`: issued once, then its renewal failed: `Ready=True`, `Issuing=False`
 *   reason Failed, `failedIssuanceAttempts: 1`; renewals from the portal fail too;
 * - `stuck-rotation`: revision 1 (issued 40 days before start, 50 days left) is in the Secret,
 *   revision 2 (fresh, 90 days) in the status: the Secret's `notAfter` differs from
 *   `status.notAfter`;
 * - `weak-key`: an RSA 1024 key and a SHA-1 signature;
 * - `long-lived`: a 365-day certificate (`duration: 8760h`).
 */
export type DemoCertificateScenario =
  | 'healthy'
  | 'expiring-soon'
  | 'expiring-very-soon'
  | 'rotation-never'
  | 'failing-issuance'
  | 'stuck-rotation'
  | 'weak-key'
  | 'long-lived';

/**
 * The code-security history of a demo service: the SARIF logs its CI uploads (ESLint with
 * security rules, and secretlint) on branch `main`, at times relative to the same `now` as the
 * backups. Each scan runs both tools on one commit, whole days plus a few hours (fixed per
 * scenario) before `now`; a finding counts from the scan that first reports it until the first
 * scan that no longer does. How each backup of the service should be marked, by the critical and
 * high findings of `main` open when it started:
 *
 * - `critical-fixed` (ledger; daily backups at 02:00 and the manual one of 10 days ago): scanned
 *   daily from 14 days 3 h ago to 3 h ago; a critical `eval` in the statement import is first
 *   reported 5 days 3 h ago and gone from the scan 27 h ago. Backups before the first scan are
 *   unknown, then known-good (the manual one among them), vulnerable from 5 days 3 h ago,
 *   known-good again from 27 h ago (at least one completed backup of each kind, whatever the time
 *   of day);
 * - `high-overdue` (payments-api; the same backups): scanned weekly, from 40 days 5 h to 5 days
 *   5 h ago; a Slack webhook (high) reported since the first scan is still there, past the 30-day
 *   SLA: every backup is vulnerable, none is known-good;
 * - `clean` (catalog-search; hourly backups of two days): scanned daily from 10 days 4 h to 4 h
 *   ago, only a medium finding on `main`: every backup is known-good. The feature branch
 *   `feature/search-synonyms`, scanned 30 h and 6 h ago, has a critical finding that does not
 *   count;
 * - `high-within-sla` (storefront-web; no volumes, no backups): scanned daily from 6 days 1 h to
 *   1 h ago; a high ReDoS finding open since the first scan, within the SLA;
 * - `critical-under-review` (cart; hourly backups of two days, half-hourly ones of one): scanned
 *   daily from 10 days 2 h to 2 h ago; a critical command injection first reported 26 h ago,
 *   suppressed `underReview` in the latest scan (still open): backups of the last 26 h are
 *   vulnerable, the older ones known-good;
 * - `stale` (warehouse; daily backups from 37 to 7 days ago): scanned daily from 20 days 6 h to
 *   10 days 6 h ago, then never again; a test fixture's private key (high) is suppressed as
 *   `accepted` from its first report: backups before the first scan are unknown, the later ones
 *   known-good;
 * - `never-scanned` (reporting; fraud-detector, whose volume no schedule covers): no upload,
 *   every backup unknown.
 */
export type DemoSastScenario =
  | 'critical-fixed'
  | 'high-overdue'
  | 'clean'
  | 'high-within-sla'
  | 'critical-under-review'
  | 'stale'
  | 'never-scanned';

/** A service of the demo cluster, and how the demo catalog selects its Kubernetes objects. */
export interface DemoService {
  name: string;
  team: string;
  namespace: string;
  workload: 'Deployment' | 'StatefulSet';
  /** PVC names; for a StatefulSet, `data-<name>-<ordinal>`. */
  pvcs: string[];
  /** `kubernetes-id`: labelled `backstage.io/kubernetes-id`; `label-selector`: app.kubernetes.io labels only. */
  selection: 'kubernetes-id' | 'label-selector';
  description: string;
  /** Labels of the pods only (the pod template), on top of the service's labels. */
  podLabels?: Record<string, string>;
  /**
   * The pods opt their claims' volumes into Velero's file-system backup
   * (`backup.velero.io/backup-volumes`), so backups leave PodVolumeBackups instead of snapshots.
   */
  fileSystemBackup?: boolean;
  /**
   * The certificate of its Ingress (`<name>.shop.example.com`, Secret `<name>-tls`); every
   * service also has a healthy internal one (`<name>-internal`, Secret `<name>-internal-tls`,
   * ECDSA, from the `internal-ca` ClusterIssuer) that no Ingress names.
   */
  certificate: DemoCertificateScenario;
  /** The issuer of the Ingress's certificate: `letsencrypt-prod` (a ClusterIssuer) by default. */
  issuer?: { kind: 'Issuer' | 'ClusterIssuer'; name: string };
  /**
   * A second Ingress (`<name>-legacy`, host `<name>-legacy.shop.example.com`) whose TLS Secret
   * `<name>-legacy-tls` was made and is rotated by hand: no Certificate manages it. Issued 200
   * days before the emulator started, valid 365 days, by `Example Corp Legacy CA`.
   */
  handMadeTls?: boolean;
  /** What its CI's SARIF uploads say about its code over time. */
  sast: DemoSastScenario;
}

/** A Velero Schedule of the demo cluster. */
export interface DemoSchedule {
  name: string;
  namespaces: string[];
  cron: string;
  /** Hours between runs, matching `cron`. */
  everyHours: number;
  ttl: string;
  /** How many runs to generate, newest last. */
  runs: number;
  /** Paused this many days before `now`: no runs since. */
  pausedDaysAgo?: number;
  /** `matchLabels` of the backups' `labelSelector`, when they select by label. */
  labelSelector?: Record<string, string>;
  /** `false`: the backups hold the objects only (`snapshotVolumes: false`), no volume data. */
  snapshotVolumes?: boolean;
  /**
   * Labels of the backups, set by the schedule's `spec.template.metadata.labels` (Velero puts them
   * on every backup it starts): how a team makes its backups visible to a label-selecting tool.
   */
  backupLabels?: Record<string, string>;
}

export const DEMO_TEAMS = [
  'team-payments',
  'team-storefront',
  'team-data',
] as const;

/**
 * The demo's services. Certificates: see {@link DemoCertificateScenario}; `reporting` also has
 * a hand-made TLS Secret. `fraud-detector` lives in a namespace no schedule includes (its volume is
 * not covered), `storefront-web` has no volumes, `cart` is selected by a label selector (and its
 * pods by the `frequent-cart` schedule's, which its claim does not match: the claim is backed up
 * through the pods that mount it), `warehouse` is backed up by a schedule that was paused a week
 * ago, and `reporting` relies on file-system backup.
 */
export const DEMO_SERVICES: DemoService[] = [
  {
    name: 'ledger',
    team: 'team-payments',
    namespace: 'payments',
    workload: 'StatefulSet',
    pvcs: ['data-ledger-0', 'data-ledger-1'],
    selection: 'kubernetes-id',
    description: 'Double-entry ledger of every payment',
    certificate: 'healthy',
    sast: 'critical-fixed',
  },
  {
    name: 'payments-api',
    team: 'team-payments',
    namespace: 'payments',
    workload: 'Deployment',
    pvcs: ['payments-api-uploads'],
    selection: 'kubernetes-id',
    description: 'Public payments API',
    certificate: 'expiring-soon',
    sast: 'high-overdue',
  },
  {
    name: 'fraud-detector',
    team: 'team-payments',
    namespace: 'fraud',
    workload: 'Deployment',
    pvcs: ['fraud-models'],
    selection: 'kubernetes-id',
    description: 'Scores payments for fraud',
    certificate: 'expiring-very-soon',
    issuer: { kind: 'Issuer', name: 'fraud-ca' },
    sast: 'never-scanned',
  },
  {
    name: 'catalog-search',
    team: 'team-storefront',
    namespace: 'storefront',
    workload: 'StatefulSet',
    pvcs: ['data-catalog-search-0'],
    selection: 'kubernetes-id',
    description: 'Product search index',
    certificate: 'rotation-never',
    sast: 'clean',
  },
  {
    name: 'storefront-web',
    team: 'team-storefront',
    namespace: 'storefront',
    workload: 'Deployment',
    pvcs: [],
    selection: 'kubernetes-id',
    description: 'The shop front end',
    certificate: 'failing-issuance',
    sast: 'high-within-sla',
  },
  {
    name: 'cart',
    team: 'team-storefront',
    namespace: 'storefront',
    workload: 'Deployment',
    pvcs: ['cart-sessions'],
    selection: 'label-selector',
    description: 'Shopping carts and sessions',
    podLabels: { 'backup-tier': 'frequent' },
    certificate: 'weak-key',
    sast: 'critical-under-review',
  },
  {
    name: 'warehouse',
    team: 'team-data',
    namespace: 'data',
    workload: 'StatefulSet',
    pvcs: ['data-warehouse-0'],
    selection: 'kubernetes-id',
    description: 'Analytics warehouse',
    certificate: 'stuck-rotation',
    sast: 'stale',
  },
  {
    name: 'reporting',
    team: 'team-data',
    namespace: 'reporting',
    workload: 'Deployment',
    pvcs: ['reporting-exports'],
    selection: 'kubernetes-id',
    description: 'Scheduled business reports',
    fileSystemBackup: true,
    certificate: 'long-lived',
    handMadeTls: true,
    sast: 'never-scanned',
  },
];

export const DEMO_SCHEDULES: DemoSchedule[] = [
  {
    name: 'daily-payments',
    namespaces: ['payments'],
    cron: '0 2 * * *',
    everyHours: 24,
    ttl: '720h0m0s',
    runs: 30,
  },
  {
    name: 'hourly-storefront',
    namespaces: ['storefront'],
    cron: '0 * * * *',
    everyHours: 1,
    ttl: '48h0m0s',
    runs: 48,
  },
  {
    name: 'frequent-cart',
    namespaces: ['storefront'],
    cron: '30 * * * *',
    everyHours: 1,
    ttl: '24h0m0s',
    runs: 24,
    labelSelector: { 'backup-tier': 'frequent' },
  },
  {
    name: 'daily-data',
    namespaces: ['data'],
    cron: '30 1 * * *',
    everyHours: 24,
    ttl: '720h0m0s',
    runs: 30,
    pausedDaysAgo: 7,
  },
  {
    name: 'daily-reporting',
    namespaces: ['reporting'],
    cron: '0 3 * * *',
    everyHours: 24,
    ttl: '336h0m0s',
    runs: 14,
  },
];

/** The label-selector annotation value the demo catalog uses for `cart`. */
export const CART_LABEL_SELECTOR =
  'app.kubernetes.io/name=cart,app.kubernetes.io/part-of=storefront';
