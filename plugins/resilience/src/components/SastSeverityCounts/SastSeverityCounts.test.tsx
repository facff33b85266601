import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SastSeverityCounts } from './SastSeverityCounts';

const counts = { critical: 2, high: 5, medium: 11, low: 0, none: 1 };

describe('SastSeverityCounts', () => {
  it('counts the open findings by severity, most severe first, and the total', async () => {
    await renderInTestApp(
      <SastSeverityCounts
        counts={counts}
        branch="main"
        isDefaultBranch
        branches={['main']}
        onBranchChange={jest.fn()}
      />,
    );
    const list = within(
      screen.getByRole('list', { name: 'Open findings by severity' }),
    );
    expect(list.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      '2 critical',
      '5 high',
      '11 medium',
      '0 low',
      '1 without severity',
    ]);
    expect(screen.getByText('19 findings open on main')).toBeInTheDocument();
    expect(screen.getByText('Branch: main')).toBeInTheDocument();
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/is not a default branch/),
    ).not.toBeInTheDocument();
  });

  it('offers the other branches, and says a branch is not a default one', async () => {
    const onBranchChange = jest.fn();
    await renderInTestApp(
      <SastSeverityCounts
        counts={counts}
        branch="feature/login"
        isDefaultBranch={false}
        branches={['feature/login', 'main']}
        onBranchChange={onBranchChange}
      />,
    );
    const select = screen.getByRole('combobox', { name: 'Branch' });
    expect(select).toHaveValue('feature/login');
    expect(
      within(select)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['feature/login', 'main']);
    expect(
      screen.getByText(
        'feature/login is not a default branch: its findings do not count in the code-security checks, which read the default branches only (resilience.sast.defaultBranches).',
      ),
    ).toBeInTheDocument();
    await userEvent.selectOptions(select, 'main');
    expect(onBranchChange).toHaveBeenCalledWith('main');
  });
});
