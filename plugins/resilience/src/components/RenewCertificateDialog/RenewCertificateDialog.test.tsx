import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  CertificateRenewal,
  CertificateSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { RenewCertificateDialog } from './RenewCertificateDialog';

const entityRef = { kind: 'Component', namespace: 'default', name: 'ledger' };

const certificate: CertificateSummary = {
  cluster: 'prod',
  namespace: 'payments',
  name: 'api-tls',
  managedBy: 'cert-manager',
  secretName: 'api-tls-secret',
  dnsNames: ['api.payments.example.com'],
  issuer: { kind: 'ClusterIssuer', name: 'letsencrypt', ready: true },
  notBefore: '2026-10-26T12:00:00Z',
  notAfter: '2027-01-24T12:00:00Z',
  secondsLeft: 60 * 86400,
  renewalTime: '2026-12-25T12:00:00Z',
  renewalTimeComputed: false,
  revision: 3,
  rotationPolicy: 'Always',
  issuing: false,
  chain: [],
  checks: [],
};

const started: CertificateRenewal = {
  id: 'r-1',
  cluster: 'prod',
  namespace: 'payments',
  name: 'api-tls',
  entityRef: 'component:default/ledger',
  state: 'in-progress',
  requestedBy: 'user:default/alice',
  requestedAt: '2026-11-25T12:00:00Z',
  previousRevision: 3,
  message: 'The Certificate was marked for issuance.',
};

async function errorOf(status: number, statusText: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText,
        headers: { 'Content-Type': 'application/json' },
      },
    ) as any,
  );
}

async function renderDialog(
  api: Partial<ResilienceApi>,
  handlers: { onClose?: () => void; onFinished?: () => void } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[resilienceApiRef, api]]}>
      <RenewCertificateDialog
        open
        certificate={certificate}
        entityRef={entityRef}
        onClose={handlers.onClose ?? jest.fn()}
        onFinished={handlers.onFinished}
        pollIntervalMs={10}
      />
    </TestApiProvider>,
  );
}

const dialog = () => within(screen.getByRole('dialog'));

describe('RenewCertificateDialog', () => {
  it('says what renewing does before doing it, and does nothing on cancel', async () => {
    const renewCertificate = jest.fn();
    const onClose = jest.fn();
    await renderDialog({ renewCertificate }, { onClose });
    expect(
      dialog().getByRole('heading', { name: 'Renew certificate api-tls' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'cert-manager issues a new certificate for api.payments.example.com from ClusterIssuer letsencrypt now, instead of at its renewal time 2026-12-25 12:00 UTC, with a new private key, since the rotation policy is Always. It then replaces the contents of the Secret payments/api-tls-secret in prod.',
    );
    await userEvent.click(dialog().getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
    expect(renewCertificate).not.toHaveBeenCalled();
  });

  it('renews, follows the renewal while in progress, and shows the new revision once it succeeded', async () => {
    const renewCertificate = jest.fn().mockResolvedValue({ renewal: started });
    const waiting = {
      ...started,
      message: 'Waiting for revision 4 to become Ready.',
    };
    let answerPoll: (() => void) | undefined;
    const getCertificateRenewal = jest
      .fn()
      // The first look answers only when the test says so, to see the progress.
      .mockImplementationOnce(
        () =>
          new Promise(resolve => {
            answerPoll = () => resolve({ renewal: waiting });
          }),
      )
      .mockResolvedValueOnce({ renewal: waiting })
      .mockResolvedValue({
        renewal: {
          ...started,
          state: 'succeeded',
          finishedAt: '2026-11-25T12:00:09Z',
          revision: 4,
          notAfter: '2027-02-23T12:00:00Z',
          message: 'Revision 4 is Ready.',
        },
      });
    const onFinished = jest.fn();
    await renderDialog(
      { renewCertificate, getCertificateRenewal },
      { onFinished },
    );
    await userEvent.click(dialog().getByRole('button', { name: 'Renew now' }));
    expect(renewCertificate).toHaveBeenCalledWith({
      entityRef,
      cluster: 'prod',
      namespace: 'payments',
      name: 'api-tls',
    });

    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent(
      /^In progress for \d+ s: The Certificate was marked for issuance\.$/,
    );
    expect(
      within(status).getByRole('progressbar', { name: 'Renewal in progress' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(answerPoll).toBeDefined());
    answerPoll!();
    expect(
      await screen.findByText(
        'Renewed: revision 4, valid until 2027-02-23 12:00 UTC',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Revision 4 is Ready.',
    );
    expect(getCertificateRenewal).toHaveBeenCalledTimes(3);
    expect(getCertificateRenewal).toHaveBeenCalledWith('r-1');
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(onFinished).toHaveBeenCalledWith(
      expect.objectContaining({ state: 'succeeded', revision: 4 }),
    );
    // Finished: no more looks.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(getCertificateRenewal).toHaveBeenCalledTimes(3);
  });

  it('shows why the renewal failed', async () => {
    const onFinished = jest.fn();
    await renderDialog(
      {
        renewCertificate: async () => ({ renewal: started }),
        getCertificateRenewal: async () => ({
          renewal: {
            ...started,
            state: 'failed',
            finishedAt: '2026-11-25T12:05:00Z',
            message:
              'Issuer internal-ca is not ready: the CA Secret is missing',
          },
        }),
      },
      { onFinished },
    );
    await userEvent.click(dialog().getByRole('button', { name: 'Renew now' }));
    expect(await screen.findByText('The renewal failed')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Issuer internal-ca is not ready: the CA Secret is missing',
    );
    expect(onFinished).toHaveBeenCalledWith(
      expect.objectContaining({ state: 'failed' }),
    );
  });

  it.each([
    [
      409,
      'Conflict',
      'A renewal is already in progress',
      'A renewal of prod/payments/api-tls is already in progress',
    ],
    [
      403,
      'Forbidden',
      'Not allowed',
      'You may not renew the certificates of component:default/ledger',
    ],
  ])(
    'shows the backend answer %s in the dialog',
    async (status, statusText, title, message) => {
      const getCertificateRenewal = jest.fn();
      const error = await errorOf(status, statusText, message);
      await renderDialog({
        renewCertificate: () => Promise.reject(error),
        getCertificateRenewal,
      });
      await userEvent.click(
        dialog().getByRole('button', { name: 'Renew now' }),
      );
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent(title);
      expect(alert).toHaveTextContent(message);
      expect(getCertificateRenewal).not.toHaveBeenCalled();
      expect(
        dialog().getByRole('button', { name: 'Close' }),
      ).toBeInTheDocument();
    },
  );

  it('says when the progress cannot be read, and looks again on request', async () => {
    const getCertificateRenewal = jest
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValue({
        renewal: { ...started, state: 'succeeded', revision: 4 },
      });
    await renderDialog({
      renewCertificate: async () => ({ renewal: started }),
      getCertificateRenewal,
    });
    await userEvent.click(dialog().getByRole('button', { name: 'Renew now' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Could not follow the renewal: The request failed',
    );
    expect(alert).toHaveTextContent('Failed to fetch');
    await userEvent.click(
      dialog().getByRole('button', { name: 'Check again' }),
    );
    expect(await screen.findByText('Renewed: revision 4')).toBeInTheDocument();
    expect(screen.queryByText(/Could not follow/)).not.toBeInTheDocument();
  });

  it('stops following the renewal once closed', async () => {
    const getCertificateRenewal = jest
      .fn()
      .mockResolvedValue({ renewal: started });
    const { unmount } = await renderDialog({
      renewCertificate: async () => ({ renewal: started }),
      getCertificateRenewal,
    });
    await userEvent.click(dialog().getByRole('button', { name: 'Renew now' }));
    await waitFor(() =>
      expect(getCertificateRenewal.mock.calls.length).toBeGreaterThan(1),
    );
    unmount();
    const calls = getCertificateRenewal.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(getCertificateRenewal.mock.calls.length).toBe(calls);
  });
});
