import { renderInTestApp } from '@backstage/test-utils';
import { SastReportSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { cellTexts } from '../../__testUtils__/tables';
import { SastLatestReports } from './SastLatestReports';

const report: SastReportSummary = {
  id: 'r-1',
  tool: 'CodeQL',
  toolVersion: '2.19.0',
  category: 'backend',
  branch: 'main',
  commit: '0123456789abcdef0123',
  scannedAt: '2026-11-25T10:00:00Z',
  uploadedAt: '2026-11-25T10:05:00Z',
  uploadedBy: 'ci-sast-upload',
  findings: { critical: 1, high: 2, medium: 0, low: 0, none: 0 },
  suppressed: 1,
  opened: 2,
  fixed: 1,
  applied: true,
};

describe('SastLatestReports', () => {
  it('shows what each report found and changed, and who uploaded it', async () => {
    await renderInTestApp(
      <SastLatestReports
        branch="main"
        generatedAt="2026-11-25T12:00:00Z"
        reports={[
          report,
          {
            ...report,
            id: 'r-2',
            tool: 'Semgrep',
            toolVersion: undefined,
            category: '',
            commit: undefined,
            findings: { critical: 0, high: 0, medium: 0, low: 0, none: 0 },
            suppressed: 0,
            applied: false,
          },
        ]}
      />,
    );
    expect(cellTexts()).toEqual([
      [
        'CodeQL 2.19.0category backend',
        '2026-11-25 10:00 UTC2 h ago',
        '0123456789ab',
        '1 critical, 2 high1 suppressed as accepted',
        '2 opened, 1 fixed',
        '2026-11-25 10:05 UTC1 h agoby ci-sast-upload',
      ],
      [
        'Semgrep',
        '2026-11-25 10:00 UTC2 h ago',
        '—',
        'none',
        'not applied: a newer scan of this tool and category came first',
        '2026-11-25 10:05 UTC1 h agoby ci-sast-upload',
      ],
    ]);
  });
});
