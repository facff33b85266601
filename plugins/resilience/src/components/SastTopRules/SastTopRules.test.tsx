import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { cellTexts } from '../../__testUtils__/tables';
import { SastTopRules } from './SastTopRules';

describe('SastTopRules', () => {
  it('lists each rule with its tool, most severe finding and open count', async () => {
    await renderInTestApp(
      <SastTopRules
        branch="main"
        rules={[
          {
            tool: 'CodeQL',
            ruleId: 'js/sql-injection',
            ruleName: 'Database query built from user-controlled sources',
            severity: 'critical',
            open: 4,
          },
          { tool: 'Semgrep', ruleId: 'no-eval', severity: 'medium', open: 2 },
        ]}
      />,
    );
    expect(cellTexts()).toEqual([
      [
        'Database query built from user-controlled sourcesjs/sql-injection',
        'CodeQL',
        'Critical',
        '4',
      ],
      ['no-eval', 'Semgrep', 'Medium', '2'],
    ]);
  });

  it('says when no rule has an open finding', async () => {
    await renderInTestApp(<SastTopRules branch="main" rules={[]} />);
    expect(
      screen.getByText('No rule has an open finding on main.'),
    ).toBeInTheDocument();
  });
});
