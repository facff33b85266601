import { ConfigReader } from '@backstage/config';
import { readClusterConfigs } from './config';

const read = (data: object, onSkipped?: (m: string) => void) =>
  readClusterConfigs(new ConfigReader(data), { onSkipped });

describe('readClusterConfigs', () => {
  it('reads url clusters with defaults', () => {
    expect(
      read({
        resilience: {
          clusters: [
            {
              name: 'prod-eu',
              url: 'https://k8s.example.com/',
              tokenFile: '/var/run/token',
              caFile: '/ca.pem',
            },
          ],
        },
      }),
    ).toEqual([
      {
        type: 'url',
        name: 'prod-eu',
        veleroNamespace: 'velero',
        url: 'https://k8s.example.com',
        token: undefined,
        tokenFile: '/var/run/token',
        caData: undefined,
        caFile: '/ca.pem',
        skipTLSVerify: false,
      },
    ]);
  });

  it('reads kubeconfig clusters', () => {
    expect(
      read({
        resilience: {
          clusters: [
            {
              name: 'dev',
              kubeconfig: 'kube.yaml',
              context: 'ctx',
              veleroNamespace: 'backup',
            },
          ],
        },
      }),
    ).toEqual([
      {
        type: 'kubeconfig',
        name: 'dev',
        veleroNamespace: 'backup',
        kubeconfigPath: 'kube.yaml',
        context: 'ctx',
      },
    ]);
  });

  it.each([
    [{ name: 'Prod', url: 'https://x', token: 't' }, /lowercase DNS label/],
    [
      { name: 'a', url: 'https://x', kubeconfig: 'k' },
      /both "kubeconfig" and "url"/,
    ],
    [{ name: 'a' }, /needs either "url".*or "kubeconfig"/],
    [
      { name: 'a', url: 'ftp://x', token: 't' },
      /resilience\.clusters\[0\]\.url "ftp:\/\/x" is not an http\(s\) URL/,
    ],
    [{ name: 'a', url: 'https://x' }, /needs "token" or "tokenFile"/],
    [
      { name: 'a', url: 'https://x', token: 't', tokenFile: 'f' },
      /both "token" and "tokenFile"/,
    ],
    [
      { name: 'a', url: 'https://x', token: 't', caData: 'x', caFile: 'f' },
      /both "caData" and "caFile"/,
    ],
  ])('refuses %j, naming what to fix', (cluster, message) => {
    expect(() => read({ resilience: { clusters: [cluster] } })).toThrow(
      message,
    );
  });

  it('refuses duplicate names', () => {
    expect(() =>
      read({
        resilience: {
          clusters: [
            { name: 'a', url: 'https://x', token: 't' },
            { name: 'a', url: 'https://y', token: 't' },
          ],
        },
      }),
    ).toThrow(/"a" appears more than once/);
  });

  it('falls back to the Kubernetes plugin config, skipping clusters it cannot use', () => {
    const skipped: string[] = [];
    const clusters = read(
      {
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'catalog' },
            {
              type: 'config',
              clusters: [
                {
                  name: 'sa',
                  url: 'https://sa',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'tok',
                  caData: 'Y2E=',
                },
                { name: 'eks', url: 'https://eks', authProvider: 'aws' },
              ],
            },
          ],
        },
      },
      m => skipped.push(m),
    );
    expect(clusters.map(c => c.name)).toEqual(['sa']);
    expect(clusters[0]).toMatchObject({
      type: 'url',
      token: 'tok',
      caData: 'Y2E=',
    });
    expect(skipped).toEqual([
      expect.stringMatching(/"eks" uses authProvider "aws"/),
    ]);
  });

  it('prefers resilience.clusters over the Kubernetes plugin config', () => {
    const clusters = read({
      resilience: { clusters: [] },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'x', url: 'https://x', serviceAccountToken: 't' },
            ],
          },
        ],
      },
    });
    expect(clusters).toEqual([]);
  });
});
