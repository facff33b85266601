import { TaskRunTracker } from './tasks';

describe('TaskRunTracker', () => {
  it('times a run from the first poll that sees it running to the first that sees it ended', () => {
    const tracker = TaskRunTracker.after({ status: 'idle' });
    tracker.observe({ status: 'idle' }, 1000);
    expect(tracker.finished).toBeUndefined();
    tracker.observe({ status: 'running', startedAt: 'x' }, 1100);
    tracker.observe({ status: 'running', startedAt: 'x' }, 1200);
    tracker.observe({ status: 'idle', lastRunEndedAt: 'T1' }, 1300);
    expect(tracker.finished).toEqual({
      startedAt: 1100,
      endedAt: 1300,
      startSeen: true,
    });
    // Later runs do not change it.
    tracker.observe({ status: 'idle', lastRunEndedAt: 'T2' }, 9000);
    expect(tracker.finished?.endedAt).toBe(1300);
  });

  it('does not take the run that had ended before for this one', () => {
    const tracker = TaskRunTracker.after({
      status: 'idle',
      lastRunEndedAt: 'T0',
    });
    tracker.observe({ status: 'idle', lastRunEndedAt: 'T0' }, 1000);
    expect(tracker.finished).toBeUndefined();
    tracker.observe({ status: 'idle', lastRunEndedAt: 'T1' }, 1100);
    expect(tracker.finished).toEqual({
      startedAt: 1000,
      endedAt: 1100,
      startSeen: false,
    });
  });

  it('starts a run no poll saw running at the poll before its end, or at its end', () => {
    const unseen = TaskRunTracker.after(null);
    unseen.observe(null, 500);
    unseen.observe({ status: 'idle', lastRunEndedAt: 'T1' }, 600);
    expect(unseen.finished).toMatchObject({ startedAt: 500, endedAt: 600 });

    const first = TaskRunTracker.after(undefined);
    first.observe({ status: 'idle', lastRunEndedAt: 'T1' }, 700);
    expect(first.finished).toMatchObject({ startedAt: 700, endedAt: 700 });
  });

  it('keeps the error of a failed run', () => {
    const tracker = TaskRunTracker.after(null);
    tracker.observe({ status: 'running' }, 100);
    tracker.observe(
      {
        status: 'idle',
        lastRunEndedAt: 'T1',
        lastRunError: '{"name":"Error","message":"boom"}',
      },
      200,
    );
    expect(tracker.finished?.error).toBe('{"name":"Error","message":"boom"}');
    const structured = TaskRunTracker.after(null);
    structured.observe(
      { status: 'idle', lastRunEndedAt: 'T1', lastRunError: { message: 'x' } },
      300,
    );
    expect(structured.finished?.error).toBe('{"message":"x"}');
  });
});
