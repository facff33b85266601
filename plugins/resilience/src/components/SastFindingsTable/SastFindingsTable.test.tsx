import { renderInTestApp } from '@backstage/test-utils';
import { SastFindingSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellTexts } from '../../__testUtils__/tables';
import { SastFindingsTable, SastFindingsTableProps } from './SastFindingsTable';

const findings: SastFindingSummary[] = [
  {
    tool: 'CodeQL',
    category: 'backend',
    branch: 'main',
    fingerprint: 'a',
    ruleId: 'js/sql-injection',
    ruleName: 'Database query built from user-controlled sources',
    severity: 'critical',
    message: 'This query depends on a user-provided value.',
    path: 'src/db.js',
    startLine: 12,
    firstSeenAt: '2026-11-22T12:00:00Z',
    lastSeenAt: '2026-11-25T10:00:00Z',
    commit: '0123456789abcdef0123',
    url: 'https://github.com/example/ledger/blob/0123456789abcdef0123/src/db.js#L12',
  },
  {
    tool: 'Semgrep',
    category: '',
    branch: 'main',
    fingerprint: 'b',
    ruleId: 'hardcoded-secret',
    severity: 'high',
    message: 'A secret is written in the code.',
    path: 'config/dev.yaml',
    startLine: 3,
    suppression: 'under-review',
    firstSeenAt: '2026-11-25T09:00:00Z',
    lastSeenAt: '2026-11-25T10:00:00Z',
  },
  {
    tool: 'Trivy',
    category: '',
    branch: 'main',
    fingerprint: 'c',
    ruleId: 'CVE-2026-0001',
    severity: 'medium',
    message: 'A vulnerable package.',
    firstSeenAt: '2026-10-01T12:00:00Z',
    lastSeenAt: '2026-11-25T10:00:00Z',
  },
];

async function renderTable(change: Partial<SastFindingsTableProps> = {}) {
  const props: SastFindingsTableProps = {
    findings,
    total: 3,
    offset: 0,
    limit: 25,
    severities: [],
    counts: { critical: 1, high: 1, medium: 1, low: 0, none: 0 },
    branch: 'main',
    generatedAt: '2026-11-25T12:00:00Z',
    onPageChange: jest.fn(),
    onSeveritiesChange: jest.fn(),
    ...change,
  };
  await renderInTestApp(<SastFindingsTable {...props} />);
  return props;
}

describe('SastFindingsTable', () => {
  it('shows each finding: severity, rule, message, location, tool and age', async () => {
    await renderTable();
    expect(cellTexts()).toEqual([
      [
        'Critical',
        'Database query built from user-controlled sourcesjs/sql-injection',
        'This query depends on a user-provided value.',
        'src/db.js:12, Opens in a new windowat 0123456789ab',
        'CodeQLcategory backend',
        '3 d ago2026-11-22 12:00 UTC',
      ],
      [
        'HighUnder review',
        'hardcoded-secret',
        'A secret is written in the code.',
        'config/dev.yaml:3',
        'Semgrep',
        '3 h ago2026-11-25 09:00 UTC',
      ],
      [
        'Medium',
        'CVE-2026-0001',
        'A vulnerable package.',
        '—',
        'Trivy',
        '55 d ago2026-10-01 12:00 UTC',
      ],
    ]);
    expect(
      screen.getByText(
        'Findings open on main, most severe first: 1 to 3 of 3. Under review: suppressed for review, still open.',
      ),
    ).toBeInTheDocument();
  });

  it('links a location to the source in a new tab when the backend gave a URL, else prints it', async () => {
    await renderTable();
    const link = screen.getByRole('link', { name: /src\/db\.js:12/ });
    expect(link).toHaveAttribute(
      'href',
      'https://github.com/example/ledger/blob/0123456789abcdef0123/src/db.js#L12',
    );
    expect(link).toHaveAttribute('target', '_blank');
    expect(link.getAttribute('rel')).toMatch(/\bnoopener\b/);
    expect(screen.getAllByRole('link')).toHaveLength(1);
    expect(screen.getByText('config/dev.yaml:3')).toBeInTheDocument();
  });

  it('asks for the next page by offset and the page size', async () => {
    const props = await renderTable({
      findings: findings.slice(0, 2),
      total: 60,
      offset: 25,
      limit: 25,
    });
    expect(screen.getByText(/: 26 to 27 of 60\./)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    expect(props.onPageChange).toHaveBeenCalledWith({ offset: 50, limit: 25 });
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous Page' }),
    );
    expect(props.onPageChange).toHaveBeenLastCalledWith({
      offset: 0,
      limit: 25,
    });
  });

  it('filters by severity, in the order of severity, each with its count', async () => {
    const props = await renderTable({ severities: ['high'] });
    const filter = within(
      screen.getByRole('group', { name: 'Filter by severity' }),
    );
    expect(filter.getAllByRole('button').map(b => b.textContent)).toEqual([
      'Critical (1)',
      'High (1)',
      'Medium (1)',
      'Low (0)',
      'None (0)',
    ]);
    expect(filter.getByRole('button', { name: 'High (1)' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await userEvent.click(filter.getByRole('button', { name: 'Critical (1)' }));
    expect(props.onSeveritiesChange).toHaveBeenCalledWith(['critical', 'high']);
    await userEvent.click(filter.getByRole('button', { name: 'High (1)' }));
    expect(props.onSeveritiesChange).toHaveBeenLastCalledWith([]);
  });

  it('says when no finding of the chosen severities is open', async () => {
    await renderTable({ findings: [], total: 0, severities: ['low'] });
    expect(
      screen.getByText('No finding of the chosen severities is open on main.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Findings open on main of severity low, most severe first: none. Under review: suppressed for review, still open.',
      ),
    ).toBeInTheDocument();
  });
});
