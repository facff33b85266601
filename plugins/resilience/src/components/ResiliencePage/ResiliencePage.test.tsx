import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { OrganisationScorecardResponse } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { distribution } from '../../__testUtils__/scores';
import { cellTexts } from '../../__testUtils__/tables';
import { ResiliencePage } from './ResiliencePage';

const organisation: OrganisationScorecardResponse = {
  generatedAt: '2026-11-25T12:00:00Z',
  teams: [
    {
      groupRef: 'group:default/platform',
      title: 'Platform',
      entities: 4,
      meanScore: 91.5,
      distribution: distribution({ A: 3, B: 1 }),
    },
    {
      groupRef: 'group:default/payments',
      entities: 3,
      meanScore: 48,
      distribution: distribution({ C: 1, F: 1, none: 1 }),
    },
    {
      groupRef: 'group:default/newcomers',
      entities: 1,
      meanScore: null,
      distribution: distribution({ none: 1 }),
    },
  ],
  distribution: distribution({ A: 3, B: 1, C: 1, F: 1, none: 2 }),
  meanScore: 76.2,
  trend: [
    {
      date: '2026-11-24',
      meanScore: 74,
      distribution: distribution({ A: 3, C: 2, F: 1 }),
    },
    {
      date: '2026-11-25',
      meanScore: 76.2,
      distribution: distribution({ A: 3, B: 1, C: 1, F: 1 }),
    },
  ],
};

async function render(api: Partial<ResilienceApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[resilienceApiRef, api]]}>
      <ResiliencePage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ResiliencePage', () => {
  it('ranks every team, best mean first, with its entities and grades, each linked to its group', async () => {
    const getOrganisationScorecard = jest.fn().mockResolvedValue(organisation);
    await render({ getOrganisationScorecard });
    expect(
      screen.getByRole('heading', { level: 1, name: 'Resilience' }),
    ).toBeInTheDocument();
    const teams = within(await screen.findByRole('region', { name: 'Teams' }));
    expect(getOrganisationScorecard).toHaveBeenCalledWith({ days: undefined });
    expect(cellTexts()).toEqual([
      ['1', 'Platform', '4', '91.5', 'A3B1'],
      ['2', 'payments', '3', '48', 'C1F1No grade1'],
      ['3', 'newcomers', '1', 'no score', 'No grade1'],
    ]);
    expect(teams.getByRole('link', { name: 'Platform' })).toHaveAttribute(
      'href',
      '/catalog/default/group/platform',
    );
    expect(
      teams.getByRole('list', { name: 'Grades of group:default/payments' }),
    ).toBeInTheDocument();
  });

  it("shows the organisation's mean, grades and daily trend", async () => {
    await render({ getOrganisationScorecard: async () => organisation });
    const overview = within(
      await screen.findByRole('region', { name: 'Organisation' }),
    );
    expect(overview.getByLabelText('Mean score')).toHaveTextContent('76.2');
    expect(
      within(overview.getByRole('list', { name: 'Grade distribution' }))
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual(['A3', 'B1', 'C1', 'D0', 'E0', 'F1', 'No grade2']);
    expect(
      overview.getByRole('img', { name: 'Mean score trend' }),
    ).toHaveAccessibleDescription(
      'From 2026-11-24 to 2026-11-25, the mean score went from 74 to 76.2; lowest 74, highest 76.2.',
    );
  });

  it('says so when no team owns a scored entity', async () => {
    await render({
      getOrganisationScorecard: async () => ({
        ...organisation,
        teams: [],
        distribution: distribution({}),
        meanScore: null,
        trend: [],
      }),
    });
    expect(
      await screen.findByText('No team owns a scored entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No trend yet: no day has the mean score.'),
    ).toBeInTheDocument();
  });

  it('shows a progress bar while loading', async () => {
    await render({ getOrganisationScorecard: () => new Promise(() => {}) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend error under the header', async () => {
    await render({
      getOrganisationScorecard: async () => {
        throw new Error('The catalog is unavailable');
      },
    });
    expect(
      (await screen.findAllByText(/The catalog is unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('heading', { level: 1, name: 'Resilience' }),
    ).toBeInTheDocument();
  });
});
