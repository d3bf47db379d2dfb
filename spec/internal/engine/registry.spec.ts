// The browser fallback: without AsyncLocalStorage, which flow run does a run started after an
// await belong to? This file installs no AsyncLocalStorage.
import { getDefaultClock } from '../../../lib/internal/clock';
import { currentFrame, type Frame } from '../../../lib/internal/context';
import { trackFlowFrame } from '../../../lib/internal/engine/registry';
import type { RunInfo } from '../../../lib/internal/run-scope';
import { CancelToken } from '../../../lib/internal/cancel-token';
import { RunEntry } from '../../../lib/client/run-entry';

function flowFrame(id: string, flowRunId?: string): Frame {
  const info = {
    id,
    name: id,
    kind: 'flow',
    definitionName: id,
    flowRunId,
    parentRunId: flowRunId,
  } as RunInfo;
  return {
    run: {
      info,
      flowRun: info,
      token: new CancelToken(),
      clock: getDefaultClock(),
      record: new RunEntry(info, undefined, undefined),
      logPrints: false,
    },
    clock: getDefaultClock(),
    tags: [],
    virtual: undefined,
  };
}

const currentRunId = () => currentFrame().run?.info.id;

describe('registry fallback frame', () => {
  it('should give no run when no flow is active', () => {
    expect(currentRunId()).toBeUndefined();
  });

  it('should link to the only active flow run', () => {
    const untrack = trackFlowFrame(flowFrame('a'));
    expect(currentRunId()).toBe('a');
    untrack();
    expect(currentRunId()).toBeUndefined();
  });

  it('should link to the innermost run of a single chain of flow and subflows', () => {
    const untrack = [
      trackFlowFrame(flowFrame('top')),
      trackFlowFrame(flowFrame('sub', 'top')),
      trackFlowFrame(flowFrame('subsub', 'sub')),
    ];
    expect(currentRunId()).toBe('subsub');
    untrack.pop()!();
    expect(currentRunId()).toBe('sub');
    untrack.forEach((u) => u());
  });

  it('should give no run when unrelated flow runs are active', () => {
    const untrack = [trackFlowFrame(flowFrame('a')), trackFlowFrame(flowFrame('b'))];
    expect(currentRunId()).toBeUndefined();
    const sibling = trackFlowFrame(flowFrame('a-child', 'a'));
    expect(currentRunId()).toBeUndefined();
    [...untrack, sibling].forEach((u) => u());
  });

  it('should keep a newer frame of the same run when an older attempt untracks', () => {
    const first = trackFlowFrame(flowFrame('a'));
    const retry = flowFrame('a');
    const second = trackFlowFrame(retry);
    first();
    expect(currentFrame()).toBe(retry);
    second();
    expect(currentRunId()).toBeUndefined();
  });
});
