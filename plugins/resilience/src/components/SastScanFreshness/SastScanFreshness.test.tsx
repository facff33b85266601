import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { cellTexts } from '../../__testUtils__/tables';
import { SastScanFreshness } from './SastScanFreshness';

const policy = {
  tier: 'gold',
  highFindingSlaSeconds: 30 * 86400,
  scanMaxAgeSeconds: 7 * 86400,
  requiredTools: ['CodeQL', 'Trivy'],
};

describe('SastScanFreshness', () => {
  it('says for each tool when it last scanned, whether it is required, and fresh, stale or missing', async () => {
    await renderInTestApp(
      <SastScanFreshness
        branch="main"
        policy={policy}
        tools={[
          {
            tool: 'CodeQL',
            lastScannedAt: '2026-11-25T10:00:00Z',
            ageSeconds: 7200,
            required: true,
            state: 'fresh',
          },
          {
            tool: 'Semgrep',
            lastScannedAt: '2026-11-10T12:00:00Z',
            ageSeconds: 15 * 86400,
            required: false,
            state: 'stale',
          },
          { tool: 'Trivy', required: true, state: 'missing' },
        ]}
      />,
    );
    expect(
      screen.getByText(
        "Each tool's latest scan of main, against the maximum age of 7 d. The gold tier requires CodeQL, Trivy.",
      ),
    ).toBeInTheDocument();
    expect(cellTexts()).toEqual([
      [
        'CodeQL',
        '2026-11-25 10:00 UTC2 h ago',
        'required',
        'Freshscanned within 7 d',
      ],
      [
        'Semgrep',
        '2026-11-10 12:00 UTC15 d ago',
        'not required',
        'Stalenot scanned for more than 7 d',
      ],
      [
        'Trivy',
        'never',
        'required',
        'Missingrequired, but never scanned this branch',
      ],
    ]);
  });
});
