import { randomUUID } from 'node:crypto';
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ClusterClient, KubernetesObject } from '../kubernetes/ClusterClient';
import { KubernetesRequestError } from '../kubernetes/errors';
import {
  ResilienceStore,
  StoredCertificateRenewal,
} from '../database/ResilienceStore';

/** What the renewer needs of a cluster: read a Certificate and merge-patch its status. */
export type CertificateClusterClient = Pick<
  ClusterClient,
  'getCustomObject' | 'patchCustomObjectStatus'
>;

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

interface CertificateStatus {
  conditions?: Condition[];
  revision?: number;
  notAfter?: string;
  lastFailureTime?: string;
}

const CERTIFICATE = {
  group: 'cert-manager.io',
  version: 'v1',
  plural: 'certificates',
};

const statusOf = (object: KubernetesObject) =>
  (object.status ?? {}) as CertificateStatus;

const conditionOf = (status: CertificateStatus, type: string) =>
  status.conditions?.find(c => c.type === type);

/** cert-manager writes times to the second; so does the trigger, like `cmctl renew`. */
const kubeTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Renews cert-manager Certificates the way `cmctl renew` does, and follows each renewal until
 * the new revision is `Ready`.
 *
 * The trigger is cert-manager's own: the Certificate's `Issuing` condition set to `True` with
 * reason `ManuallyTriggered` through the status subresource. Renewals are kept in the database,
 * so that any replica can follow them ({@link CertificateRenewer.advance} runs as a scheduled
 * task) and at most one per Certificate is in progress.
 */
export class CertificateRenewer {
  private constructor(
    private readonly options: {
      store: ResilienceStore;
      clients: Map<string, CertificateClusterClient>;
      logger: LoggerService;
      auditor?: AuditorService;
      timeoutMs: number;
      now: () => Date;
      onRenewed: (cluster: string) => Promise<void>;
    },
  ) {}

  static create(options: {
    store: ResilienceStore;
    /** A client per configured cluster, by cluster name. */
    clients: Map<string, CertificateClusterClient>;
    logger: LoggerService;
    auditor?: AuditorService;
    /** How long a renewal may take before it counts as failed; 5 minutes when absent. */
    timeoutMs?: number;
    now?: () => Date;
    /**
     * Called when a renewal succeeded, before it is recorded as such: collects the cluster's
     * certificates again, so that the new one is stored when the renewal reads as done.
     */
    onRenewed?: (cluster: string) => Promise<void>;
  }): CertificateRenewer {
    return new CertificateRenewer({
      timeoutMs: 5 * 60_000,
      now: () => new Date(),
      onRenewed: async () => {},
      ...options,
    });
  }

  /**
   * Marks the Certificate for issuance now and records the renewal in progress.
   *
   * @throws NotFoundError when the cluster is not configured or the Certificate does not exist;
   * ConflictError when cert-manager is already issuing it or a renewal is in progress;
   * ServiceUnavailableError when the cluster cannot be read or written.
   */
  async start(request: {
    cluster: string;
    namespace: string;
    name: string;
    entityRef: string;
    requestedBy: string;
  }): Promise<StoredCertificateRenewal> {
    const { store, now } = this.options;
    const client = this.client(request.cluster);
    const what = `Certificate ${request.namespace}/${request.name} in cluster ${request.cluster}`;
    const current = await this.read(client, request, what);
    const status = statusOf(current);
    const issuing = conditionOf(status, 'Issuing');
    if (issuing?.status === 'True') {
      throw new ConflictError(
        `cert-manager is already issuing ${what} (${
          issuing.reason ?? 'no reason given'
        }); wait for it to finish`,
      );
    }

    const requestedAt = now();
    const renewal: StoredCertificateRenewal = {
      id: randomUUID(),
      cluster: request.cluster,
      namespace: request.namespace,
      name: request.name,
      entityRef: request.entityRef,
      requestedBy: request.requestedBy,
      requestedAt,
      state: 'in-progress',
      previousRevision: status.revision,
      message: 'Asked cert-manager to issue a new certificate',
    };
    // Recorded first: the unique index keeps a second request, on any replica, from patching.
    await store.createCertificateRenewal(renewal);

    const trigger: Condition = {
      type: 'Issuing',
      status: 'True',
      reason: 'ManuallyTriggered',
      message: 'Certificate re-issuance manually triggered',
      lastTransitionTime: kubeTime(requestedAt),
      observedGeneration: (current.metadata as { generation?: number })
        ?.generation,
    };
    try {
      await client.patchCustomObjectStatus({
        ...CERTIFICATE,
        namespace: request.namespace,
        name: request.name,
        // A merge patch replaces the whole list, so the other conditions go with it; the
        // resourceVersion makes the API server refuse it if cert-manager changed them meanwhile.
        patch: {
          metadata: {
            resourceVersion: (current.metadata as { resourceVersion?: string })
              ?.resourceVersion,
          },
          status: {
            conditions: [
              ...(status.conditions ?? []).filter(c => c.type !== 'Issuing'),
              trigger,
            ],
          },
        },
      });
    } catch (error) {
      const failure = KubernetesRequestError.from(
        error,
        `mark ${what} for issuance`,
      );
      await store.finishCertificateRenewal({
        id: renewal.id,
        state: 'failed',
        message: failure.message,
        finishedAt: now(),
      });
      if (failure.statusCode === 409) {
        throw new ConflictError(
          `${what} changed while asking for the renewal; try again`,
        );
      }
      throw new ServiceUnavailableError(failure.message);
    }
    return renewal;
  }

  /** Follows every renewal in progress one step; never throws for one renewal's failure. */
  async advance(): Promise<void> {
    const { store, logger } = this.options;
    for (const renewal of await store.listCertificateRenewalsInProgress()) {
      try {
        await this.advanceOne(renewal);
      } catch (error) {
        logger.warn(
          `Could not follow the renewal ${renewal.id} of Certificate ${renewal.namespace}/${renewal.name} in cluster ${renewal.cluster}: ${error}`,
        );
      }
    }
  }

  private async advanceOne(renewal: StoredCertificateRenewal) {
    const what = `Certificate ${renewal.namespace}/${renewal.name} in cluster ${renewal.cluster}`;
    const client = this.options.clients.get(renewal.cluster);
    if (!client) {
      await this.finish(renewal, {
        state: 'failed',
        message: `Cluster ${renewal.cluster} is no longer configured`,
      });
      return;
    }

    let current: KubernetesObject;
    try {
      current = await client.getCustomObject({
        ...CERTIFICATE,
        namespace: renewal.namespace,
        name: renewal.name,
      });
    } catch (error) {
      const failure = KubernetesRequestError.from(error, `read ${what}`);
      if (failure.statusCode === 404) {
        await this.finish(renewal, {
          state: 'failed',
          message: `${what} was deleted during the renewal`,
        });
        return;
      }
      await this.timeOutOr(
        renewal,
        `Could not read the Certificate: ${failure.message}`,
      );
      return;
    }

    const status = statusOf(current);
    const ready = conditionOf(status, 'Ready');
    const issuing = conditionOf(status, 'Issuing');
    const newRevision =
      status.revision !== undefined &&
      (renewal.previousRevision === undefined ||
        status.revision > renewal.previousRevision);
    if (newRevision && ready?.status === 'True' && issuing?.status !== 'True') {
      await this.finish(renewal, {
        state: 'succeeded',
        message: `Revision ${status.revision} issued${
          status.notAfter ? `, valid until ${status.notAfter}` : ''
        }`,
        revision: status.revision,
        notAfter: status.notAfter ? new Date(status.notAfter) : undefined,
      });
      return;
    }

    // cert-manager ends a failed attempt with Issuing=False, reason Failed, and a failure time.
    const failedAt = status.lastFailureTime
      ? new Date(status.lastFailureTime)
      : undefined;
    const since = renewal.requestedAt.getTime() - 1000;
    if (
      issuing?.status === 'False' &&
      issuing.reason === 'Failed' &&
      failedAt &&
      failedAt.getTime() >= since
    ) {
      await this.finish(renewal, {
        state: 'failed',
        message: `cert-manager could not issue the certificate: ${
          issuing.message ?? 'no message given'
        }`,
      });
      return;
    }

    await this.timeOutOr(
      renewal,
      issuing?.status === 'True'
        ? `cert-manager is issuing revision ${
            (renewal.previousRevision ?? 0) + 1
          }${issuing.message ? `: ${issuing.message}` : ''}`
        : 'Waiting for cert-manager to pick up the request',
    );
  }

  /** Fails a renewal that took too long; otherwise records what it is waiting for. */
  private async timeOutOr(renewal: StoredCertificateRenewal, message: string) {
    const { store, now, timeoutMs } = this.options;
    if (now().getTime() - renewal.requestedAt.getTime() > timeoutMs) {
      await this.finish(renewal, {
        state: 'failed',
        message: `No new revision became Ready within ${Math.round(
          timeoutMs / 1000,
        )} seconds; last seen: ${message}`,
      });
      return;
    }
    if (message !== renewal.message) {
      await store.updateCertificateRenewalMessage({ id: renewal.id, message });
    }
  }

  private async finish(
    renewal: StoredCertificateRenewal,
    outcome: {
      state: 'succeeded' | 'failed';
      message: string;
      revision?: number;
      notAfter?: Date;
    },
  ) {
    const { store, now, logger, auditor } = this.options;
    if (outcome.state === 'succeeded') {
      // Stored before the renewal reads as done, so that the page shows the new certificate.
      await this.options
        .onRenewed(renewal.cluster)
        .catch(error =>
          logger.warn(
            `Could not collect the certificates of cluster ${renewal.cluster} after the renewal: ${error}`,
          ),
        );
    }
    const finished = await store.finishCertificateRenewal({
      id: renewal.id,
      finishedAt: now(),
      ...outcome,
    });
    if (!finished) {
      return; // another replica recorded the outcome
    }
    const meta = {
      renewalId: renewal.id,
      cluster: renewal.cluster,
      namespace: renewal.namespace,
      name: renewal.name,
      entityRef: renewal.entityRef,
      requestedBy: renewal.requestedBy,
      message: outcome.message,
    };
    const event = await auditor?.createEvent({
      eventId: 'certificate-renewal-outcome',
      severityLevel: 'medium',
      meta,
    });
    if (outcome.state === 'succeeded') {
      logger.info(
        `Renewed Certificate ${renewal.namespace}/${renewal.name} in cluster ${renewal.cluster}: ${outcome.message}`,
      );
      await event?.success({ meta: { revision: outcome.revision ?? null } });
    } else {
      logger.warn(
        `Renewal of Certificate ${renewal.namespace}/${renewal.name} in cluster ${renewal.cluster} failed: ${outcome.message}`,
      );
      await event?.fail({ error: new Error(outcome.message) });
    }
  }

  private client(cluster: string): CertificateClusterClient {
    const client = this.options.clients.get(cluster);
    if (!client) {
      throw new NotFoundError(
        `No cluster named "${cluster}" is configured; the configured clusters are: ${
          [...this.options.clients.keys()].join(', ') || 'none'
        }`,
      );
    }
    return client;
  }

  private async read(
    client: CertificateClusterClient,
    ref: { namespace: string; name: string; cluster: string },
    what: string,
  ): Promise<KubernetesObject> {
    try {
      return await client.getCustomObject({
        ...CERTIFICATE,
        namespace: ref.namespace,
        name: ref.name,
      });
    } catch (error) {
      const failure = KubernetesRequestError.from(error, `read ${what}`);
      if (failure.statusCode === 404) {
        throw new NotFoundError(`${what} does not exist (any more)`);
      }
      throw new ServiceUnavailableError(failure.message);
    }
  }
}
