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
}

export const DEMO_TEAMS = [
  'team-payments',
  'team-storefront',
  'team-data',
] as const;

/**
 * The demo's services. `fraud-detector` lives in a namespace no schedule includes (its volume is
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
  },
  {
    name: 'payments-api',
    team: 'team-payments',
    namespace: 'payments',
    workload: 'Deployment',
    pvcs: ['payments-api-uploads'],
    selection: 'kubernetes-id',
    description: 'Public payments API',
  },
  {
    name: 'fraud-detector',
    team: 'team-payments',
    namespace: 'fraud',
    workload: 'Deployment',
    pvcs: ['fraud-models'],
    selection: 'kubernetes-id',
    description: 'Scores payments for fraud',
  },
  {
    name: 'catalog-search',
    team: 'team-storefront',
    namespace: 'storefront',
    workload: 'StatefulSet',
    pvcs: ['data-catalog-search-0'],
    selection: 'kubernetes-id',
    description: 'Product search index',
  },
  {
    name: 'storefront-web',
    team: 'team-storefront',
    namespace: 'storefront',
    workload: 'Deployment',
    pvcs: [],
    selection: 'kubernetes-id',
    description: 'The shop front end',
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
  },
  {
    name: 'warehouse',
    team: 'team-data',
    namespace: 'data',
    workload: 'StatefulSet',
    pvcs: ['data-warehouse-0'],
    selection: 'kubernetes-id',
    description: 'Analytics warehouse',
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
