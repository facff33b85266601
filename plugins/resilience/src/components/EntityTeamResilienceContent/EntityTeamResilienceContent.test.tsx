import { Entity } from '@backstage/catalog-model';
import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { TeamScorecardResponse } from '@resilience-for-backstage/plugin-resilience-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { cellTexts } from '../../__testUtils__/tables';
import { distribution, scorecardEntity } from '../../__testUtils__/scores';
import { EntityTeamResilienceContent } from './EntityTeamResilienceContent';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const scorecard: TeamScorecardResponse = {
  groupRef: 'group:default/payments',
  groups: ['group:default/payments', 'group:default/payments-db'],
  items: [
    scorecardEntity('ledger', 42, { grade: 'F' }),
    scorecardEntity('billing', 85, {
      grade: 'B',
      title: 'Billing API',
      kind: 'Resource',
      type: 'database',
    }),
    scorecardEntity('new-service', null, { computedAt: undefined }),
  ],
  total: 30,
  offset: 0,
  limit: 25,
  distribution: distribution({ B: 1, F: 1, none: 28 }),
  meanScore: 63.5,
  trend: [
    {
      date: '2026-11-24',
      meanScore: 61,
      distribution: distribution({ B: 1, F: 1 }),
    },
    {
      date: '2026-11-25',
      meanScore: 63.5,
      distribution: distribution({ B: 1, F: 1 }),
    },
  ],
};

async function render(api: Partial<ResilienceApi>, entity: Entity = group) {
  return renderInTestApp(
    <TestApiProvider apis={[[resilienceApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityTeamResilienceContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const groupRef = { kind: 'Group', namespace: 'default', name: 'payments' };

describe('EntityTeamResilienceContent', () => {
  it("asks for the group's entities worst first, and shows the grades, the mean and the trend", async () => {
    const getTeamScorecard = jest.fn().mockResolvedValue(scorecard);
    await render({ getTeamScorecard });
    const grades = within(
      await screen.findByRole('region', { name: 'Grades' }),
    );
    expect(getTeamScorecard).toHaveBeenCalledWith(groupRef, {
      offset: 0,
      limit: 25,
      sort: 'score',
      order: 'asc',
      grades: undefined,
      pillar: undefined,
      days: undefined,
    });
    expect(
      grades.getByText('Over 30 entities; those never scored have no grade.'),
    ).toBeInTheDocument();
    expect(grades.getByLabelText('Mean score')).toHaveTextContent('63.5');
    expect(
      within(grades.getByRole('list', { name: 'Grade distribution' }))
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual(['A0', 'B1', 'C0', 'D0', 'E0', 'F1', 'No grade28']);
    expect(
      screen.getByRole('img', { name: 'Mean score trend' }),
    ).toHaveAccessibleDescription(
      'From 2026-11-24 to 2026-11-25, the mean score went from 61 to 63.5; lowest 61, highest 63.5.',
    );
  });

  it('lists the entities with their kind, grade, score and one column per pillar, each linked to its page', async () => {
    await render({ getTeamScorecard: async () => scorecard });
    const entities = within(
      await screen.findByRole('region', { name: 'Entities' }),
    );
    expect(
      entities.getByText(
        'By score, worst first; those without it last: 1 to 3 of 30.',
      ),
    ).toBeInTheDocument();
    expect(cellTexts()).toEqual([
      ['ledger', 'Componentservice', 'F', '42', '42', 'no data', '100', '50'],
      [
        'Billing API',
        'Resourcedatabase',
        'B',
        '85',
        '85',
        'no data',
        '100',
        '50',
      ],
      [
        'new-service',
        'Componentservice',
        'No grade',
        'no data',
        'no data',
        'no data',
        'no data',
        'no data',
      ],
    ]);
    expect(entities.getByRole('link', { name: 'Billing API' })).toHaveAttribute(
      'href',
      '/catalog/default/component/billing',
    );
    expect(
      entities.getAllByRole('columnheader').map(h => h.textContent),
    ).toEqual([
      'Entity',
      'Kind',
      'Grade',
      'Score',
      'Backups',
      'Recovery',
      'Certificates',
      'Code security',
    ]);
  });

  it('passes the sort, order, grade and pillar filters to the server, from the first page', async () => {
    const getTeamScorecard = jest.fn().mockResolvedValue(scorecard);
    await render({ getTeamScorecard });
    await screen.findByRole('region', { name: 'Entities' });
    fireEvent.change(screen.getByLabelText('Sort by'), {
      target: { value: 'certificates' },
    });
    fireEvent.change(screen.getByLabelText('Order'), {
      target: { value: 'desc' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'F' }));
    fireEvent.click(screen.getByRole('button', { name: 'No grade' }));
    fireEvent.click(screen.getByRole('button', { name: 'E' }));
    fireEvent.change(screen.getByLabelText('Pillar'), {
      target: { value: 'backups' },
    });
    await waitFor(() =>
      expect(getTeamScorecard).toHaveBeenLastCalledWith(groupRef, {
        offset: 0,
        limit: 25,
        sort: 'certificates',
        order: 'desc',
        grades: ['E', 'F', 'none'],
        pillar: 'backups',
        days: undefined,
      }),
    );
    expect(
      screen.getByText(
        'By certificates score, best first; those without it last: 1 to 3 of 30.',
      ),
    ).toBeInTheDocument();
  });

  it('asks the server for the next page', async () => {
    const getTeamScorecard = jest.fn().mockResolvedValue(scorecard);
    await render({ getTeamScorecard });
    await screen.findByRole('region', { name: 'Entities' });
    fireEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    await waitFor(() =>
      expect(getTeamScorecard).toHaveBeenLastCalledWith(
        groupRef,
        expect.objectContaining({ offset: 25, limit: 25 }),
      ),
    );
  });

  it('says so when the group owns no scored entity', async () => {
    await render({
      getTeamScorecard: async () => ({
        ...scorecard,
        items: [],
        total: 0,
        distribution: distribution({}),
        meanScore: null,
        trend: [],
      }),
    });
    expect(await screen.findByText('No scored entity')).toBeInTheDocument();
    expect(
      screen.getByText(
        /group:default\/payments and the groups below it own no component or resource/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a progress bar while loading, and the backend error', async () => {
    const { unmount } = await render({
      getTeamScorecard: () => new Promise(() => {}),
    });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    unmount();
    await render({
      getTeamScorecard: async () => {
        throw new Error('The catalog is unavailable');
      },
    });
    expect(
      (await screen.findAllByText(/The catalog is unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('says it is for groups on another entity, without calling the backend', async () => {
    const getTeamScorecard = jest.fn();
    await render(
      { getTeamScorecard },
      { ...group, kind: 'Component', metadata: { name: 'ledger' } },
    );
    expect(screen.getByText('Only for groups')).toBeInTheDocument();
    expect(getTeamScorecard).not.toHaveBeenCalled();
  });
});
