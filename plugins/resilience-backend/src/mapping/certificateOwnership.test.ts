import { KubernetesMapping } from '@resilience-for-backstage/plugin-resilience-common';
import {
  CertificateFact,
  IngressFact,
  IssuerFact,
  TlsSecretFact,
} from '../database/types';
import { certificatesOfEntity } from './certificateOwnership';

const ID = 'backstage.io/kubernetes-id';

function certificate(
  namespace: string,
  name: string,
  overrides: Partial<CertificateFact> = {},
): CertificateFact {
  return {
    cluster: 'prod',
    uid: `c-${namespace}-${name}`,
    namespace,
    name,
    labels: {},
    secretName: `${name}-tls`,
    dnsNames: [],
    issuerRef: { kind: 'Issuer', name: 'ca' },
    conditions: [],
    ...overrides,
  };
}

function secret(
  namespace: string,
  name: string,
  overrides: Partial<TlsSecretFact> = {},
): TlsSecretFact {
  return {
    cluster: 'prod',
    uid: `s-${namespace}-${name}`,
    namespace,
    name,
    labels: {},
    chain: [],
    ...overrides,
  };
}

function ingress(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  secretNames: Array<string | undefined>,
  cluster = 'prod',
): IngressFact {
  return {
    cluster,
    uid: `g-${cluster}-${namespace}-${name}`,
    namespace,
    name,
    labels,
    tls: secretNames.map(secretName => ({ secretName, hosts: [] })),
  };
}

const issuer = (
  kind: IssuerFact['kind'],
  namespace: string,
  name: string,
): IssuerFact => ({
  cluster: 'prod',
  uid: `i-${kind}-${namespace}-${name}`,
  namespace,
  name,
  kind,
  ready: 'True',
});

const issuers = [
  issuer('Issuer', 'payments', 'ca'),
  issuer('Issuer', 'search', 'ca'),
  issuer('ClusterIssuer', '', 'letsencrypt'),
  // An Issuer of the same name as the ClusterIssuer, which a ClusterIssuer ref must not pick.
  issuer('Issuer', 'payments', 'letsencrypt'),
];

const byId: KubernetesMapping = { kubernetesId: 'payments' };

/** The items as [namespace, certificate name, secret name, secret found, issuer, ingresses]. */
function summary(options: Parameters<typeof certificatesOfEntity>[0]) {
  return certificatesOfEntity(options).map(item => [
    item.namespace,
    item.certificate?.name,
    item.secretName,
    item.secret !== undefined,
    item.issuer &&
      `${item.issuer.kind}/${item.issuer.namespace}/${item.issuer.name}`,
    item.ingresses.map(i => i.name),
  ]);
}

describe('certificatesOfEntity', () => {
  it.each<[string, Parameters<typeof certificatesOfEntity>[0], unknown[]]>([
    [
      'a labelled Certificate with its Secret (joined by spec.secretName) and its Issuer',
      {
        mapping: byId,
        certificates: [
          certificate('payments', 'api', { labels: { [ID]: 'payments' } }),
          certificate('payments', 'other-team'),
        ],
        secrets: [
          secret('payments', 'api-tls'),
          secret('payments', 'other-team-tls'),
        ],
        ingresses: [],
        issuers,
      },
      [['payments', 'api', 'api-tls', true, 'Issuer/payments/ca', []]],
    ],
    [
      'a ClusterIssuer by name, never the Issuer of the same name',
      {
        mapping: byId,
        certificates: [
          certificate('payments', 'api', {
            labels: { [ID]: 'payments' },
            issuerRef: {
              kind: 'ClusterIssuer',
              name: 'letsencrypt',
              group: 'cert-manager.io',
            },
          }),
        ],
        secrets: [],
        ingresses: [],
        issuers,
      },
      [['payments', 'api', 'api-tls', false, 'ClusterIssuer//letsencrypt', []]],
    ],
    [
      'no issuer for an external issuer, nor for an Issuer of another namespace',
      {
        mapping: byId,
        certificates: [
          certificate('payments', 'external', {
            labels: { [ID]: 'payments' },
            issuerRef: {
              kind: 'Issuer',
              name: 'ca',
              group: 'awspca.cert-manager.io',
            },
          }),
          certificate('payments', 'missing', {
            labels: { [ID]: 'payments' },
            issuerRef: { kind: 'Issuer', name: 'search-only' },
          }),
        ],
        secrets: [],
        ingresses: [],
        issuers: [...issuers, issuer('Issuer', 'search', 'search-only')],
      },
      [
        ['payments', 'external', 'external-tls', false, undefined, []],
        ['payments', 'missing', 'missing-tls', false, undefined, []],
      ],
    ],
    [
      "the Secrets the entity's Ingresses serve, with the Certificates that write them, once each",
      {
        mapping: byId,
        certificates: [
          // Made by cert-manager's ingress-shim: no labels.
          certificate('payments', 'web', { secretName: 'web-tls' }),
          // Same Secret name in another namespace: not the Ingress's.
          certificate('search', 'web', { secretName: 'web-tls' }),
        ],
        secrets: [
          secret('payments', 'web-tls'),
          secret('payments', 'legacy-tls'),
          secret('search', 'web-tls'),
        ],
        ingresses: [
          ingress('payments', 'web', { [ID]: 'payments' }, [
            'web-tls',
            'legacy-tls',
            undefined,
          ]),
          ingress('payments', 'web-canary', { [ID]: 'payments' }, ['web-tls']),
          ingress('payments', 'theirs', { [ID]: 'search' }, ['web-tls']),
        ],
        issuers,
      },
      [
        ['payments', undefined, 'legacy-tls', true, undefined, ['web']],
        [
          'payments',
          'web',
          'web-tls',
          true,
          'Issuer/payments/ca',
          ['web', 'web-canary'],
        ],
      ],
    ],
    [
      'a labelled Secret that no Certificate manages, as a hand-managed item',
      {
        mapping: byId,
        certificates: [],
        secrets: [
          secret('payments', 'hand-tls', { labels: { [ID]: 'payments' } }),
        ],
        ingresses: [],
        issuers,
      },
      [['payments', undefined, 'hand-tls', true, undefined, []]],
    ],
    [
      'a labelled Secret with the unlabelled Certificate that writes it',
      {
        mapping: byId,
        certificates: [certificate('payments', 'api')],
        secrets: [
          secret('payments', 'api-tls', { labels: { [ID]: 'payments' } }),
        ],
        ingresses: [],
        issuers,
      },
      [['payments', 'api', 'api-tls', true, 'Issuer/payments/ca', []]],
    ],
    [
      'a Certificate both labelled and named by an Ingress once',
      {
        mapping: byId,
        certificates: [
          certificate('payments', 'api', { labels: { [ID]: 'payments' } }),
        ],
        secrets: [
          secret('payments', 'api-tls', { labels: { [ID]: 'payments' } }),
        ],
        ingresses: [
          ingress('payments', 'web', { [ID]: 'payments' }, [
            'api-tls',
            'api-tls',
          ]),
        ],
        issuers,
      },
      [['payments', 'api', 'api-tls', true, 'Issuer/payments/ca', ['web']]],
    ],
    [
      'a Secret an Ingress serves that neither exists nor is written by a Certificate',
      {
        mapping: byId,
        certificates: [],
        secrets: [],
        ingresses: [
          ingress('payments', 'web', { [ID]: 'payments' }, ['gone-tls']),
        ],
        issuers,
      },
      [['payments', undefined, 'gone-tls', false, undefined, ['web']]],
    ],
    [
      'the label selector and the namespace annotation as for every object',
      {
        mapping: {
          labelSelector: 'app=payments,tier in (web)',
          namespace: 'payments',
        },
        certificates: [
          certificate('payments', 'selected', {
            labels: { app: 'payments', tier: 'web' },
          }),
          certificate('payments', 'wrong-tier', {
            labels: { app: 'payments', tier: 'db' },
          }),
          certificate('search', 'other-namespace', {
            labels: { app: 'payments', tier: 'web' },
          }),
          certificate('payments', 'id-only', { labels: { [ID]: 'payments' } }),
        ],
        secrets: [],
        ingresses: [],
        issuers,
      },
      [
        [
          'payments',
          'selected',
          'selected-tls',
          false,
          'Issuer/payments/ca',
          [],
        ],
      ],
    ],
    [
      'two Certificates that write one Secret, each an item',
      {
        mapping: byId,
        certificates: [
          certificate('payments', 'a', {
            secretName: 'shared-tls',
            labels: { [ID]: 'payments' },
          }),
          certificate('payments', 'b', {
            secretName: 'shared-tls',
            labels: { [ID]: 'payments' },
          }),
        ],
        secrets: [secret('payments', 'shared-tls')],
        ingresses: [],
        issuers,
      },
      [
        ['payments', 'a', 'shared-tls', true, 'Issuer/payments/ca', []],
        ['payments', 'b', 'shared-tls', true, 'Issuer/payments/ca', []],
      ],
    ],
    [
      'nothing when nothing is the entity’s',
      {
        mapping: byId,
        certificates: [certificate('payments', 'api')],
        secrets: [secret('payments', 'api-tls')],
        ingresses: [ingress('payments', 'web', {}, ['api-tls'])],
        issuers,
      },
      [],
    ],
  ])('finds %s', (_, options, expected) => {
    expect(summary(options)).toEqual(expected);
  });

  it('keeps clusters apart and orders by cluster, namespace and name', () => {
    const items = certificatesOfEntity({
      mapping: byId,
      certificates: [
        certificate('payments', 'api', {
          cluster: 'staging',
          labels: { [ID]: 'payments' },
        }),
        certificate('payments', 'api', { labels: { [ID]: 'payments' } }),
        certificate('a-first', 'zz', { labels: { [ID]: 'payments' } }),
      ],
      secrets: [
        secret('payments', 'api-tls'),
        secret('payments', 'api-tls', {
          cluster: 'staging',
          uid: 'staging-secret',
        }),
        secret('payments', 'web-tls', { cluster: 'staging' }),
      ],
      ingresses: [
        ingress(
          'payments',
          'web',
          { [ID]: 'payments' },
          ['web-tls'],
          'staging',
        ),
      ],
      issuers,
    });
    expect(
      items.map(i => [
        i.cluster,
        i.namespace,
        i.secretName,
        i.secret?.uid,
        i.issuer?.cluster,
      ]),
    ).toEqual([
      ['prod', 'a-first', 'zz-tls', undefined, undefined],
      ['prod', 'payments', 'api-tls', 's-payments-api-tls', 'prod'],
      ['staging', 'payments', 'api-tls', 'staging-secret', undefined],
      ['staging', 'payments', 'web-tls', 's-payments-web-tls', undefined],
    ]);
  });

  it('refuses a label selector that selects everything', () => {
    expect(() =>
      certificatesOfEntity({
        mapping: { labelSelector: ',' },
        certificates: [],
        secrets: [],
        ingresses: [],
        issuers: [],
      }),
    ).toThrow(/selects everything/);
  });
});
