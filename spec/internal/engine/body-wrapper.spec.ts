import { installBodyWrapper, wrapBody, type BodyWrapper } from '../../../lib/internal/engine/body-wrapper';
import { task } from '../../../lib/index.node';
import type { RunInfo } from '../../../lib/index.node';

function tracing(label: string, log: string[]): BodyWrapper {
  return (run, fn, args) => {
    log.push(`${label} enters ${run.name}`);
    try {
      return (fn as (...a: unknown[]) => unknown)(...args);
    } finally {
      log.push(`${label} leaves ${run.name}`);
    }
  };
}

describe('installBodyWrapper', () => {
  it('should be absent until installed, and absent again once every wrapper is removed', async () => {
    expect(wrapBody).toBeUndefined();
    const log: string[] = [];
    const removeA = installBodyWrapper(tracing('a', log));
    const removeB = installBodyWrapper(tracing('b', log));
    const add = task({ name: 'add', taskRunName: 'add' }, (x: number, y: number) => {
      log.push('body');
      return x + y;
    });

    await expect(add(2, 3)).resolves.toBe(5);
    // The later wrapper runs outside the earlier one.
    expect(log).toEqual(['b enters add', 'a enters add', 'body', 'a leaves add', 'b leaves add']);

    removeB();
    removeB(); // idempotent: must not remove another wrapper
    log.length = 0;
    await add(1, 1);
    expect(log).toEqual(['a enters add', 'body', 'a leaves add']);
    removeA();
    expect(wrapBody).toBeUndefined();
    log.length = 0;
    await add(1, 1);
    expect(log).toEqual(['body']);
  });

  it("should wrap every attempt with that attempt's RunInfo", async () => {
    const counts: number[] = [];
    const remove = installBodyWrapper((run: RunInfo, fn, args) => {
      counts.push(run.runCount);
      return (fn as (...a: unknown[]) => unknown)(...args);
    });
    let calls = 0;
    const flakyTask = task({ name: 'flaky', retries: 2 }, () => {
      if (++calls < 3) throw new Error('again');
      return calls;
    });
    try {
      await expect(flakyTask()).resolves.toBe(3);
    } finally {
      remove();
    }
    expect(counts).toEqual([1, 2, 3]);
  });
});
