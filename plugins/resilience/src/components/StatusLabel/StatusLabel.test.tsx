import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { StatusLabel } from './StatusLabel';

describe('StatusLabel', () => {
  it('shows the status icon and keeps the words readable by screen readers', async () => {
    await renderInTestApp(
      <StatusLabel status="error">Unavailable</StatusLabel>,
    );
    expect(screen.getByTestId('status-error')).toBeInTheDocument();
    const text = screen.getByText('Unavailable');
    expect(text.closest('[aria-hidden="true"]')).toBeNull();
  });

  it.each([
    ['ok', 'status-ok'],
    ['warning', 'status-warning'],
    ['pending', 'status-pending'],
    ['aborted', 'status-aborted'],
  ] as const)('shows the %s icon', async (status, testId) => {
    await renderInTestApp(<StatusLabel status={status}>x</StatusLabel>);
    expect(screen.getByTestId(testId)).toBeInTheDocument();
  });
});
