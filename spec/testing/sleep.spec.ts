import '../../lib/internal/context-node';
import { currentFrame, runInFrame } from '../../lib/internal/context';
import { sleep } from '../../lib/testing/sleep';
import { VirtualScheduler } from '../../lib/testing/virtual-scheduler';

/** Calls `fn` on a hand-driven virtual clock. */
function onVirtualClock<R>(fn: () => R): { scheduler: VirtualScheduler; result: R } {
  const scheduler = new VirtualScheduler();
  const result = runInFrame({ ...currentFrame(), clock: { scheduler, random: () => 0.5 } }, fn);
  return { scheduler, result };
}

describe('sleep', () => {
  it('should resolve when the clock reaches the delay', async () => {
    const { scheduler, result } = onVirtualClock(() => sleep(1000));
    let done = false;
    void result.then(() => (done = true));
    scheduler.advanceTo(999);
    await Promise.resolve();
    expect(done).toBe(false);
    scheduler.advanceTo(1000);
    await result;
    expect(done).toBe(true);
  });

  it('should reject with the abort reason and remove its timer when the signal aborts', async () => {
    const controller = new AbortController();
    const { scheduler, result } = onVirtualClock(() => sleep(1000, controller.signal));
    expect(scheduler.pendingCount).toBe(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(scheduler.pendingCount).toBe(0);
  });

  it('should reject at once when the signal has already aborted', async () => {
    const reason = new Error('already');
    const { scheduler, result } = onVirtualClock(() => sleep(1000, AbortSignal.abort(reason)));
    expect(scheduler.pendingCount).toBe(0);
    await expect(result).rejects.toBe(reason);
  });

  it('should stop listening to the signal once it resolves', async () => {
    const controller = new AbortController();
    const { scheduler, result } = onVirtualClock(() => sleep(10, controller.signal));
    scheduler.advanceTo(10);
    await result;
    controller.abort(new Error('late'));
    await expect(result).resolves.toBeUndefined();
  });

  it('should wait in real time outside virtual time', async () => {
    const started = performance.now();
    await sleep(15);
    expect(performance.now() - started).toBeGreaterThanOrEqual(10);
  });

  it('should reject a bad delay', async () => {
    await expect(sleep(-1)).rejects.toThrow('sleep: expected ms to be a non-negative finite number, got -1');
    await expect(sleep(Infinity)).rejects.toThrow('got Infinity');
  });
});
