import { renderInTestApp } from '@backstage/test-utils';
import {
  CertificateSummary,
  EffectiveCertificatePolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { CertificateExpiryTimeline } from './CertificateExpiryTimeline';

const DAY = 86400;
const policy: EffectiveCertificatePolicy = {
  expiryWarningSeconds: 28 * DAY,
  expiryFailureSeconds: 14 * DAY,
  maxLifetimeSeconds: 90 * DAY,
};

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
    dnsNames: [],
    notBefore: '2026-10-26T12:00:00Z',
    notAfter: '2027-01-24T12:00:00Z',
    secondsLeft: 60 * DAY,
    renewalTime: '2026-12-25T12:00:00Z',
    renewalTimeComputed: false,
    issuing: false,
    chain: [],
    checks: [],
    ...change,
  };
}

const certificates = [
  cert('api-tls', {}),
  cert('grpc-tls', {
    notBefore: '2026-09-01T12:00:00Z',
    notAfter: '2026-11-30T12:00:00Z',
    secondsLeft: 5 * DAY,
    renewalTime: '2026-10-31T12:00:00Z',
    renewalTimeComputed: true,
  }),
  cert('legacy-tls', {
    managedBy: 'hand',
    notBefore: '2025-11-22T12:00:00Z',
    notAfter: '2026-11-22T12:00:00Z',
    secondsLeft: -3 * DAY,
    renewalTime: undefined,
  }),
  cert('broken-tls', {
    notBefore: undefined,
    notAfter: undefined,
    secondsLeft: undefined,
    renewalTime: undefined,
    secretProblem: 'Secret payments/broken-tls not found',
  }),
];

async function renderTimeline(items: CertificateSummary[]) {
  return renderInTestApp(
    <CertificateExpiryTimeline
      certificates={items}
      policy={policy}
      generatedAt="2026-11-25T12:00:00Z"
    />,
  );
}

describe('CertificateExpiryTimeline', () => {
  it('describes the chart: how many expire when, the next to expire and the next renewal', async () => {
    await renderTimeline(certificates);
    expect(
      screen.getByRole('img', { name: 'Certificate expiry timeline' }),
    ).toHaveAccessibleDescription(
      '4 certificates: 1 expired, 1 expiring within 14 d, 1 with more time left, 1 of unknown validity. ' +
        'The next to expire is prod/payments/grpc-tls, in 5 d (2026-11-30 12:00 UTC). ' +
        'The next renewal is of prod/payments/api-tls, at 2026-12-25 12:00 UTC. ' +
        '1 renewal overdue: prod/payments/grpc-tls.',
    );
    expect(
      screen.getByText(
        'Not shown, since their validity could not be read: prod/payments/broken-tls.',
      ),
    ).toBeInTheDocument();
  });

  it('draws a bar for each certificate with a known validity, soonest expiry first, and a now line', async () => {
    await renderTimeline(certificates);
    const chart = screen.getByRole('img', {
      name: 'Certificate expiry timeline',
    });
    const titles = Array.from(chart.querySelectorAll('g > title')).map(
      t => t.textContent,
    );
    expect(titles).toEqual([
      'legacy-tls: expired 3 d ago, clients reject it\nvalid 2025-11-22 12:00 UTC to 2026-11-22 12:00 UTC\nmanaged by hand · prod / payments',
      'grpc-tls: 5 d left, less than the 14 d failure threshold\nvalid 2026-09-01 12:00 UTC to 2026-11-30 12:00 UTC\nrenewal 2026-10-31 12:00 UTC (computed)\ncert-manager · prod / payments',
      'api-tls: 60 d left, more than the 28 d warning threshold\nvalid 2026-10-26 12:00 UTC to 2027-01-24 12:00 UTC\nrenewal 2026-12-25 12:00 UTC\ncert-manager · prod / payments',
    ]);
    // Each bar: its valid stretch, then its warning and failure stretches before the end, in
    // proportion to the thresholds (14 d each of a 90 d validity); a diamond at the renewal.
    const bar = (name: string) => {
      const group = Array.from(chart.querySelectorAll('g > title')).find(t =>
        t.textContent!.startsWith(`${name}:`),
      )!.parentElement!;
      return Array.from(group.querySelectorAll('rect')).map(r => ({
        zone: /valid|warnZone|failZone|expired/.exec(
          r.getAttribute('class')!,
        )![0],
        width: Number(r.getAttribute('width')),
      }));
    };
    const api = bar('api-tls');
    expect(api.map(r => r.zone)).toEqual(['valid', 'warnZone', 'failZone']);
    const total = api.reduce((sum, r) => sum + r.width, 0);
    expect(api[0].width / total).toBeCloseTo(62 / 90);
    expect(api[1].width / total).toBeCloseTo(14 / 90);
    expect(api[2].width / total).toBeCloseTo(14 / 90);
    expect(bar('legacy-tls').map(r => r.zone)).toEqual(['expired']);
    expect(within(chart).getByText('api-tls')).toBeInTheDocument();
    expect(within(chart).getByText('now')).toBeInTheDocument();
  });

  it('has a legend for the zones, now and renewals', async () => {
    await renderTimeline(certificates);
    const legend = within(screen.getByRole('list', { name: 'Legend' }));
    expect(
      legend.getAllByRole('listitem').map(item => item.textContent),
    ).toEqual([
      'Valid',
      'Less than 28 d left (warning)',
      'Less than 14 d left (failing)',
      'Expired',
      'Now',
      'Renewal',
      'Renewal, computed as cert-manager would',
    ]);
  });

  it('says when there is no certificate', async () => {
    await renderTimeline([]);
    expect(
      screen.getByText(
        'No TLS certificate to show: none was found for this entity.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });
});
