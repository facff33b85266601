import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import yaml from 'js-yaml';

/** The server, CA and token of a kubeconfig's first cluster and user, as the emulator writes it. */
export interface KubeCredentials {
  server: string;
  ca: Buffer;
  token: string;
}

export function readKubeconfig(file: string): KubeCredentials {
  const config = yaml.load(readFileSync(file, 'utf8')) as {
    clusters: Array<{
      cluster: { server: string; 'certificate-authority-data': string };
    }>;
    users: Array<{ user: { token: string } }>;
  };
  const cluster = config.clusters[0].cluster;
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
    token: config.users[0].user.token,
  };
}

/**
 * One request to the API server with a plain HTTPS client: the status and the body's text. A
 * body is sent as JSON, with `contentType` (a merge patch, say) when given.
 */
export function kubeRequest(
  credentials: KubeCredentials,
  options: {
    method?: string;
    path: string;
    body?: unknown;
    contentType?: string;
    agent?: Agent;
  },
): Promise<{ status: number; text: string }> {
  const payload =
    options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((done, fail) => {
    const req = request(
      `${credentials.server}${options.path}`,
      {
        method: options.method ?? 'GET',
        agent: options.agent,
        ca: options.agent ? undefined : credentials.ca,
        headers: {
          authorization: `Bearer ${credentials.token}`,
          accept: 'application/json',
          ...(payload === undefined
            ? {}
            : {
                'content-type': options.contentType ?? 'application/json',
                'content-length': Buffer.byteLength(payload),
              }),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

/** A request that must answer 2xx; its parsed body. */
export async function kubeJson<T>(
  credentials: KubeCredentials,
  options: Parameters<typeof kubeRequest>[1],
): Promise<T> {
  const { status, text } = await kubeRequest(credentials, options);
  if (status < 200 || status >= 300) {
    throw new Error(
      `${options.method ?? 'GET'} ${
        options.path
      } answered ${status}: ${text.slice(0, 300)}`,
    );
  }
  return JSON.parse(text) as T;
}
