import { getDefaultClock } from '../../lib/internal/clock';
import {
  contextPropagatesAcrossAwait,
  currentFrame,
  runInFrame,
  type Frame,
} from '../../lib/internal/context';
import '../../lib/internal/context-node';

const frame = (tags: string[]): Frame => ({
  run: undefined,
  clock: getDefaultClock(),
  tags,
  virtual: undefined,
});

describe('context-node', () => {
  it('should carry frames across awaits, timers and concurrent branches', async () => {
    expect(contextPropagatesAcrossAwait()).toBe(true);
    const branch = (tag: string, hop: (resolve: () => void) => void) =>
      runInFrame(frame([tag]), async () => {
        await new Promise<void>(hop);
        await null;
        return currentFrame().tags;
      });
    await expect(
      Promise.all([branch('a', (r) => setTimeout(r, 0)), branch('b', (r) => setImmediate(r))]),
    ).resolves.toEqual([['a'], ['b']]);
    expect(currentFrame().tags).toEqual([]);
  });
});
