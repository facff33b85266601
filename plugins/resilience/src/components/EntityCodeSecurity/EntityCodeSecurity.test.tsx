import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntitySastResponse,
  SastFindingSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { EntityCodeSecurity } from './EntityCodeSecurity';

const entityRef = { kind: 'Component', namespace: 'default', name: 'ledger' };

function finding(i: number): SastFindingSummary {
  return {
    tool: 'CodeQL',
    category: '',
    branch: 'main',
    fingerprint: `fp-${i}`,
    ruleId: 'js/sql-injection',
    ruleName: 'Database query built from user-controlled sources',
    severity: 'high',
    message: `Finding ${i}`,
    path: 'src/db.js',
    startLine: i,
    firstSeenAt: '2026-11-20T12:00:00Z',
    lastSeenAt: '2026-11-25T10:00:00Z',
  };
}

const zero = { critical: 0, high: 0, medium: 0, low: 0, none: 0 };

function response(
  change: Partial<EntitySastResponse> = {},
): EntitySastResponse {
  return {
    entityRef: 'component:default/ledger',
    generatedAt: '2026-11-25T12:00:00Z',
    branch: 'main',
    isDefaultBranch: true,
    branches: ['feature/login', 'main'],
    openFindings: { ...zero, critical: 1, high: 60 },
    findings: Array.from({ length: 25 }, (_, i) => finding(i + 1)),
    findingsTotal: 61,
    topRules: [
      {
        tool: 'CodeQL',
        ruleId: 'js/sql-injection',
        severity: 'high',
        open: 60,
      },
    ],
    trend: [
      { date: '2026-11-24', open: { ...zero, high: 58 } },
      { date: '2026-11-25', open: { ...zero, critical: 1, high: 60 } },
    ],
    latestReports: [],
    tools: [
      {
        tool: 'CodeQL',
        lastScannedAt: '2026-11-25T10:00:00Z',
        ageSeconds: 7200,
        required: true,
        state: 'fresh',
      },
    ],
    policy: {
      tier: 'gold',
      highFindingSlaSeconds: 30 * 86400,
      scanMaxAgeSeconds: 7 * 86400,
      requiredTools: ['CodeQL'],
    },
    ...change,
  };
}

async function render(api: Partial<ResilienceApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[resilienceApiRef, api]]}>
      <EntityCodeSecurity entityRef={entityRef} />
    </TestApiProvider>,
  );
}

describe('EntityCodeSecurity', () => {
  it('loads the first page of the branch the backend picks, and shows every part', async () => {
    const getEntitySast = jest.fn().mockResolvedValue(response());
    await render({ getEntitySast });
    expect(
      await screen.findByRole('list', { name: 'Open findings by severity' }),
    ).toBeInTheDocument();
    expect(getEntitySast).toHaveBeenCalledTimes(1);
    expect(getEntitySast).toHaveBeenCalledWith(entityRef, {
      branch: undefined,
      offset: 0,
      limit: 25,
      days: undefined,
      severities: undefined,
    });
    expect(
      screen.getAllByRole('region').map(r => r.getAttribute('aria-label')),
    ).toEqual([
      'Open findings',
      'Top rules',
      'Scan freshness',
      'Latest reports',
    ]);
    expect(
      screen.getByRole('img', { name: 'Open findings trend' }),
    ).toHaveAccessibleDescription(
      /^Over the last 2 days \(2026-11-24 to 2026-11-25\), open findings went from 58 to 61\./,
    );
  });

  it('asks for the next page with the next offset, and keeps the table while it loads', async () => {
    const getEntitySast = jest.fn().mockResolvedValue(response());
    await render({ getEntitySast });
    const table = within(
      await screen.findByRole('region', { name: 'Open findings' }),
    );
    expect(table.getByText('Finding 1')).toBeInTheDocument();
    let resolve: (value: EntitySastResponse) => void = () => {};
    getEntitySast.mockReturnValueOnce(
      new Promise<EntitySastResponse>(r => {
        resolve = r;
      }),
    );
    await userEvent.click(table.getByRole('button', { name: 'Next Page' }));
    expect(getEntitySast).toHaveBeenLastCalledWith(
      entityRef,
      expect.objectContaining({ offset: 25, limit: 25 }),
    );
    // The view stays while the page loads: no progress bar in its place.
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Open findings by severity' }),
    ).toBeInTheDocument();
    resolve(
      response({
        findings: Array.from({ length: 25 }, (_, i) => finding(i + 26)),
      }),
    );
    expect(await table.findByText('Finding 26')).toBeInTheDocument();
    expect(table.getByText(/: 26 to 50 of 61\./)).toBeInTheDocument();
  });

  it('passes the chosen severities, most severe first, and goes back to the first page', async () => {
    const getEntitySast = jest.fn().mockResolvedValue(response());
    await render({ getEntitySast });
    const table = within(
      await screen.findByRole('region', { name: 'Open findings' }),
    );
    await userEvent.click(table.getByRole('button', { name: 'Next Page' }));
    await waitFor(() =>
      expect(getEntitySast).toHaveBeenLastCalledWith(
        entityRef,
        expect.objectContaining({ offset: 25 }),
      ),
    );
    await userEvent.click(table.getByRole('button', { name: 'High (60)' }));
    await waitFor(() =>
      expect(getEntitySast).toHaveBeenLastCalledWith(
        entityRef,
        expect.objectContaining({ offset: 0, severities: ['high'] }),
      ),
    );
    await userEvent.click(table.getByRole('button', { name: 'Critical (1)' }));
    await waitFor(() =>
      expect(getEntitySast).toHaveBeenLastCalledWith(
        entityRef,
        expect.objectContaining({
          offset: 0,
          severities: ['critical', 'high'],
        }),
      ),
    );
    expect(table.getByRole('button', { name: 'Critical (1)' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('shows another branch when it is chosen, and says it is not a default branch', async () => {
    const getEntitySast = jest.fn().mockResolvedValue(response());
    await render({ getEntitySast });
    getEntitySast.mockResolvedValueOnce(
      response({ branch: 'feature/login', isDefaultBranch: false }),
    );
    await userEvent.selectOptions(
      await screen.findByRole('combobox', { name: 'Branch' }),
      'feature/login',
    );
    expect(
      await screen.findByText(/feature\/login is not a default branch/),
    ).toBeInTheDocument();
    expect(getEntitySast).toHaveBeenLastCalledWith(
      entityRef,
      expect.objectContaining({ branch: 'feature/login', offset: 0 }),
    );
  });

  it('explains how to upload SARIF from CI when nothing was ever uploaded', async () => {
    const { container } = await render({
      getEntitySast: async () =>
        response({
          branch: undefined,
          branches: [],
          openFindings: zero,
          findings: [],
          findingsTotal: 0,
          topRules: [],
          trend: [],
          tools: [],
        }),
    });
    expect(
      await screen.findByText('No SAST report uploaded'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /POST \/api\/resilience\/sast\/reports\?entityRef=component:default\/ledger; the section "SAST uploads" of the plugin's README/,
      ),
    ).toBeInTheDocument();
    // The command to copy into CI, for this entity.
    expect(container.querySelector('code')).toHaveTextContent(
      '"$BACKSTAGE_URL/api/resilience/sast/reports?entityRef=component:default/ledger&branch=$BRANCH&commit=$COMMIT_SHA"',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await render({
      getEntitySast: async () => {
        throw new Error('limit must be an integer from 1 to 500');
      },
    });
    expect(
      (await screen.findAllByText(/limit must be an integer from 1 to 500/))
        .length,
    ).toBeGreaterThan(0);
  });
});
