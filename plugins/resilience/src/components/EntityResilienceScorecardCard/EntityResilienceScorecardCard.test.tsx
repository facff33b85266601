import { Entity } from '@backstage/catalog-model';
import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { check, entityScoreResponse } from '../../__testUtils__/scores';
import { EntityResilienceScorecardCard } from './EntityResilienceScorecardCard';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', namespace: 'default', annotations },
});

// Backups 63 (a fail, a warn, two passes; the unknown is not scored), certificates 100, code
// security 0, recovery without data: 54 overall, an E.
const score = entityScoreResponse({
  checks: {
    backups: [
      check('backup.rpo', 'warn', {
        message: 'The oldest last good backup is 26 hours old.',
      }),
      check('backup.pvc-coverage', 'fail', {
        message: 'scratch is not covered by any completed backup.',
      }),
      check('backup.schedule', 'pass'),
      check('backup.retention', 'pass'),
      check('backup.storage-location', 'unknown'),
    ],
    certificates: [check('certificate.expiry', 'pass')],
    'code-security': [
      check('sast.critical', 'fail'),
      check('sast.high-sla', 'fail'),
      check('sast.scan-age', 'fail'),
      check('sast.tools', 'fail'),
      check('sast.default-branch', 'fail'),
    ],
  },
});

async function render(
  api: Partial<ResilienceApi>,
  annotations: Record<string, string> = {
    'backstage.io/kubernetes-id': 'ledger',
  },
) {
  return renderInTestApp(
    <TestApiProvider apis={[[resilienceApiRef, api]]}>
      <EntityProvider entity={entity(annotations)}>
        <EntityResilienceScorecardCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const card = () =>
  within(screen.getByRole('region', { name: 'Resilience scorecard' }));

describe('EntityResilienceScorecardCard', () => {
  it('shows the grade, the score as a gauge and each pillar with its score or no data', async () => {
    const getEntityScore = jest.fn().mockResolvedValue(score);
    await render({ getEntityScore });
    expect(
      await card().findByRole('img', { name: 'Grade E' }),
    ).toHaveTextContent('E');
    expect(getEntityScore).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'ledger' },
      { days: undefined },
    );
    const gauge = card().getByRole('meter', { name: 'Score' });
    expect(gauge).toHaveAttribute('aria-valuenow', '54');
    expect(gauge).toHaveTextContent('54');
    expect(
      within(card().getByRole('list', { name: 'Pillar scores' }))
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      'Backups 63',
      'Recovery no data',
      'Certificates 100',
      'Code security 0',
    ]);
    expect(
      card().getByText('Tier gold · computed 2026-11-25 12:00 UTC'),
    ).toBeInTheDocument();
    expect(
      card().getByRole('link', { name: 'Open the Resilience tab' }),
    ).toHaveAttribute('href', '/catalog/default/component/ledger/resilience');
  });

  it('lists the failing checks first, then the warnings, five at most, with their messages', async () => {
    await render({ getEntityScore: async () => score });
    const checks = within(
      await card().findByRole('list', { name: 'Top failing checks' }),
    );
    const items = checks.getAllByRole('listitem').map(i => i.textContent);
    expect(items).toEqual([
      'Fail Title of backup.pvc-coverage (Backups)scratch is not covered by any completed backup.',
      'Fail Title of sast.critical (Code security)sast.critical is fail.',
      'Fail Title of sast.high-sla (Code security)sast.high-sla is fail.',
      'Fail Title of sast.scan-age (Code security)sast.scan-age is fail.',
      'Fail Title of sast.tools (Code security)sast.tools is fail.',
    ]);
  });

  it('says no grade, and why, when no check could be scored: no data is not an F', async () => {
    await render({
      getEntityScore: async () =>
        entityScoreResponse({
          checks: {
            backups: [check('backup.rpo', 'unknown')],
            certificates: [check('certificate.expiry', 'not-applicable')],
          },
        }),
    });
    expect(
      await card().findByRole('img', { name: 'No grade' }),
    ).toHaveTextContent('No grade');
    expect(
      card().getByText(
        'No check could be scored: every check is unknown or not applicable, and those are never counted as a pass or a fail. No data is not an F.',
      ),
    ).toBeInTheDocument();
    expect(card().queryByRole('meter')).not.toBeInTheDocument();
    expect(card().getByText('No check fails or warns.')).toBeInTheDocument();
  });

  it('asks for the annotations on an entity without them, without calling the backend', async () => {
    const getEntityScore = jest.fn();
    await render({ getEntityScore }, {});
    expect(card().getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(getEntityScore).not.toHaveBeenCalled();
  });

  it('shows a progress bar while loading', async () => {
    await render({ getEntityScore: () => new Promise(() => {}) });
    expect(await card().findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend error in the card', async () => {
    await render({
      getEntityScore: async () => {
        throw new Error('The score store is unavailable');
      },
    });
    expect(
      (await card().findAllByText(/The score store is unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
