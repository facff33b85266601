/** A Kubernetes `Status` error, thrown by handlers and rendered as the API server renders it. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export const notFound = (resource: string, name: string, group: string) =>
  new StatusError(
    404,
    'NotFound',
    `${group ? `${resource}.${group}` : resource} "${name}" not found`,
    { name, group: group || undefined, kind: resource },
  );

export const badRequest = (message: string) =>
  new StatusError(400, 'BadRequest', message);
