import { lightTheme } from '@backstage/theme';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  CertificateSummary,
  EffectiveCertificatePolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { SWRConfig } from 'swr';
import userEvent from '@testing-library/user-event';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { CertificateTable } from './CertificateTable';

const DAY = 86400;
const policy: EffectiveCertificatePolicy = {
  expiryWarningSeconds: 28 * DAY,
  expiryFailureSeconds: 14 * DAY,
  maxLifetimeSeconds: 90 * DAY,
};
const entityRef = { kind: 'Component', namespace: 'default', name: 'ledger' };

function cert(
  name: string,
  change: Partial<CertificateSummary>,
): CertificateSummary {
  return {
    cluster: 'prod',
    namespace: 'payments',
    name,
    managedBy: 'cert-manager',
    secretName: name,
    dnsNames: [`${name.replace('-tls', '')}.payments.example.com`],
    issuer: { kind: 'ClusterIssuer', name: 'letsencrypt', ready: true },
    ready: { status: 'True' },
    notBefore: '2026-10-26T12:00:00Z',
    notAfter: '2027-01-24T12:00:00Z',
    secondsLeft: 60 * DAY,
    renewalTime: '2026-12-25T12:00:00Z',
    renewalTimeComputed: false,
    revision: 3,
    rotationPolicy: 'Always',
    lastRenewedAt: '2026-10-26T12:00:00Z',
    issuing: false,
    chain: [],
    checks: [
      {
        id: 'certificate.expiry',
        state: 'pass',
        message: `${name} expires in 60 days.`,
      },
    ],
    ...change,
  };
}

const certificates: CertificateSummary[] = [
  cert('api-tls', {}),
  cert('web-tls', {
    secondsLeft: 20 * DAY,
    notAfter: '2026-12-15T12:00:00Z',
    checks: [
      {
        id: 'certificate.expiry',
        state: 'warn',
        message: 'web-tls expires in 20 days, less than the 28 days warning.',
      },
      { id: 'certificate.ready', state: 'pass', message: 'Ready.' },
    ],
  }),
  cert('grpc-tls', {
    secondsLeft: 5 * DAY,
    notAfter: '2026-11-30T12:00:00Z',
    issuer: { kind: 'Issuer', name: 'internal-ca', ready: false },
    rotationPolicy: 'Never',
    failedIssuanceAttempts: 2,
    checks: [
      {
        id: 'certificate.expiry',
        state: 'fail',
        message: 'grpc-tls expires in 5 days.',
      },
      {
        id: 'certificate.key-rotation',
        state: 'warn',
        message: 'The private key is kept at every renewal.',
      },
      {
        id: 'certificate.issuance-failures',
        state: 'fail',
        message: 'cert-manager failed to issue it 2 times.',
      },
    ],
  }),
  cert('legacy-tls', {
    managedBy: 'hand',
    issuer: { kind: 'X.509', name: 'CN=Legacy CA' },
    ready: undefined,
    secondsLeft: -3 * DAY,
    notBefore: '2025-11-22T12:00:00Z',
    notAfter: '2026-11-22T12:00:00Z',
    renewalTime: undefined,
    revision: undefined,
    rotationPolicy: undefined,
    lastRenewedAt: '2025-11-22T12:00:00Z',
    checks: [
      {
        id: 'certificate.expiry',
        state: 'fail',
        message: 'legacy-tls expired 3 days ago.',
      },
      {
        id: 'certificate.managed',
        state: 'fail',
        message: 'No Certificate manages the Secret legacy-tls.',
      },
    ],
  }),
];

async function renderTable(options: {
  items?: CertificateSummary[];
  authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  api?: Partial<ResilienceApi>;
}) {
  const authorize = jest
    .fn()
    .mockReturnValue(options.authorize ?? AuthorizeResult.ALLOW);
  // A cache of its own, so that no permission decision carries over from another test.
  await renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [permissionApiRef, mockApis.permission({ authorize })],
          [resilienceApiRef, options.api ?? {}],
        ]}
      >
        <CertificateTable
          certificates={options.items ?? certificates}
          policy={policy}
          generatedAt="2026-11-25T12:00:00Z"
          entityRef={entityRef}
        />
      </TestApiProvider>
    </SWRConfig>,
  );
  return { authorize };
}

function rows(): HTMLElement[] {
  return screen
    .getAllByRole('row')
    .filter(r => within(r).queryAllByRole('cell').length > 1);
}

function rowOf(name: string): HTMLElement {
  return rows().find(r => within(r).queryByText(name, { selector: 'p' }))!;
}

describe('CertificateTable', () => {
  it('lists the certificates soonest expiry first, with what is left as a coloured chip', async () => {
    await renderTable({});
    await screen.findByText('api-tls');
    expect(
      rows().map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['legacy-tls', 'grpc-tls', 'web-tls', 'api-tls']);

    const chip = (name: string, text: string) =>
      within(rowOf(name)).getByText(text);
    const { status } = lightTheme.palette;
    expect(chip('legacy-tls', 'expired 3 d ago')).toHaveStyle({
      backgroundColor: status.error,
      textTransform: 'uppercase',
    });
    expect(chip('grpc-tls', '5 d left')).toHaveStyle({
      backgroundColor: status.error,
    });
    expect(chip('web-tls', '20 d left')).toHaveStyle({
      backgroundColor: status.warning,
    });
    expect(chip('api-tls', '60 d left')).toHaveStyle({
      backgroundColor: status.ok,
    });
    // The state in words too, not by colour alone.
    expect(rowOf('legacy-tls')).toHaveTextContent('clients reject it');
    expect(rowOf('grpc-tls')).toHaveTextContent(
      'less than the 14 d failure threshold',
    );
    expect(rowOf('web-tls')).toHaveTextContent(
      'less than the 28 d warning threshold',
    );
    expect(rowOf('web-tls')).toHaveTextContent('until 2026-12-15 12:00 UTC');
  });

  it('shows where each certificate lives, its issuer, its management, rotation and renewals', async () => {
    await renderTable({});
    await screen.findByText('api-tls');
    const api = within(rowOf('api-tls'));
    expect(api.getAllByRole('cell').map(c => c.textContent)).toEqual([
      'api-tls',
      'payments',
      'prod',
      'api.payments.example.com',
      'ClusterIssuer letsencryptReady',
      '60 d leftmore than the 28 d warning thresholduntil 2027-01-24 12:00 UTC',
      'cert-manager',
      'Alwaysa new key at every renewal',
      '2026-10-26 12:00 UTC30 d agorevision 3next 2026-12-25 12:00 UTC (in 30 d)',
      'All checks pass',
      'Renew now',
    ]);

    const grpc = within(rowOf('grpc-tls'));
    expect(grpc.getByText('Not ready')).toBeInTheDocument();
    expect(grpc.getByText('Never')).toBeInTheDocument();
    expect(grpc.getByText('the key is kept at renewal')).toBeInTheDocument();
    expect(grpc.getByText('2 failed issuance attempts')).toBeInTheDocument();

    const legacy = within(rowOf('legacy-tls'));
    expect(legacy.getByText('By hand')).toBeInTheDocument();
    expect(legacy.getByText('X.509 CN=Legacy CA')).toBeInTheDocument();
    expect(legacy.getByText('replace the Secret by hand')).toBeInTheDocument();
  });

  it("lists each certificate's checks that do not pass, worst first", async () => {
    await renderTable({});
    await screen.findByText('api-tls');
    const findings = within(
      screen.getByRole('list', { name: 'Findings for grpc-tls' }),
    );
    expect(findings.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'Fail: grpc-tls expires in 5 days.',
      'Fail: cert-manager failed to issue it 2 times.',
      'Warning: The private key is kept at every renewal.',
    ]);
    expect(
      within(
        screen.getByRole('list', { name: 'Findings for web-tls' }),
      ).getAllByRole('listitem'),
    ).toHaveLength(1);
    expect(
      screen.queryByRole('list', { name: 'Findings for api-tls' }),
    ).not.toBeInTheDocument();
  });

  it('offers to renew the cert-manager certificates only, when allowed on the entity', async () => {
    const { authorize } = await renderTable({});
    await screen.findByRole('button', { name: 'Renew now: api-tls' });
    expect(
      screen
        .getAllByRole('button', { name: /^Renew now/ })
        .map(b => b.getAttribute('aria-label')),
    ).toEqual([
      'Renew now: grpc-tls',
      'Renew now: web-tls',
      'Renew now: api-tls',
    ]);
    expect(
      within(rowOf('legacy-tls')).queryByRole('button'),
    ).not.toBeInTheDocument();
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'resilience.certificate.renew',
        }),
        resourceRef: 'component:default/ledger',
      }),
    );
    expect(screen.queryByText(/You may not renew/)).not.toBeInTheDocument();
  });

  it('hides the buttons and says why when renewing is not allowed', async () => {
    await renderTable({ authorize: AuthorizeResult.DENY });
    expect(
      await screen.findByText(/You may not renew them from here/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Renew now/ }),
    ).not.toBeInTheDocument();
  });

  it('disables renewing while cert-manager is issuing, and shows the last renewal from the portal', async () => {
    await renderTable({
      items: [
        cert('api-tls', { issuing: true }),
        cert('web-tls', {
          lastRenewal: {
            id: 'r-1',
            cluster: 'prod',
            namespace: 'payments',
            name: 'web-tls',
            entityRef: 'component:default/ledger',
            state: 'failed',
            requestedBy: 'user:default/alice',
            requestedAt: '2026-11-25T10:00:00Z',
            finishedAt: '2026-11-25T10:05:00Z',
            message: 'Issuer internal-ca is not ready',
          },
        }),
      ],
    });
    expect(
      await screen.findByRole('button', { name: 'Renew now: api-tls' }),
    ).toBeDisabled();
    expect(
      within(rowOf('api-tls')).getByText('cert-manager is issuing it now'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Renew now: web-tls' }),
    ).toBeEnabled();
    expect(rowOf('web-tls')).toHaveTextContent(
      'renewal from the portal failed at 2026-11-25 10:05 UTC: Issuer internal-ca is not ready',
    );
  });

  it('asks before renewing, then renews the chosen certificate', async () => {
    const renewCertificate = jest.fn().mockReturnValue(new Promise(() => {}));
    await renderTable({ api: { renewCertificate } });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Renew now: grpc-tls' }),
    );
    const dialog = within(screen.getByRole('dialog'));
    expect(
      dialog.getByRole('heading', { name: 'Renew certificate grpc-tls' }),
    ).toBeInTheDocument();
    expect(renewCertificate).not.toHaveBeenCalled();
    await userEvent.click(dialog.getByRole('button', { name: 'Renew now' }));
    expect(renewCertificate).toHaveBeenCalledWith({
      entityRef,
      cluster: 'prod',
      namespace: 'payments',
      name: 'grpc-tls',
    });
  });

  it('says when the entity has no certificate', async () => {
    await renderTable({ items: [] });
    expect(
      await screen.findByText(/No TLS certificate found for this entity/),
    ).toBeInTheDocument();
  });
});
