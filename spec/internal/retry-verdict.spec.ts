import { askRetry } from '../../lib/internal/retry-verdict';
import { setErrorReporter } from '../../lib/internal/report';
import { hostileValues } from './hostile-values';

/** askRetry's decision (and whether it came synchronously) and what it reported. */
async function ask(condition: () => unknown) {
  const reported: string[] = [];
  const restore = setErrorReporter((message, error) =>
    reported.push(`${message}: ${error instanceof Error ? error.message : typeof error}`),
  );
  const decisions: boolean[] = [];
  askRetry(condition, new Error('attempt failed'), 1, "Task 't'", (yes) => decisions.push(yes));
  const sync = decisions.length === 1;
  await new Promise((resolve) => setImmediate(resolve));
  restore();
  return { decisions, sync, reported };
}

describe('askRetry', () => {
  it('should decide at once for plain values, by truthiness, and after settling for thenables', async () => {
    expect(await ask(() => true)).toEqual({ decisions: [true], sync: true, reported: [] });
    expect(await ask(() => 0)).toEqual({ decisions: [false], sync: true, reported: [] });
    expect(await ask(() => ({}))).toEqual({ decisions: [true], sync: true, reported: [] });
    expect(await ask(() => Promise.resolve(false))).toEqual({
      decisions: [false],
      sync: false,
      reported: [],
    });
    expect(await ask(() => Promise.resolve('yes'))).toEqual({ decisions: [true], sync: false, reported: [] });
  });

  it('should decide "no" exactly once, and report, for a condition that throws, rejects or returns an odd thenable', async () => {
    const values = hostileValues();
    const failing: (() => unknown)[] = [
      () => {
        throw new Error('threw');
      },
      () => Promise.reject(new Error('rejected')),
      () => ({
        then() {
          throw new Error('then threw');
        },
      }),
      () => values['a throwing then getter'],
      () => values['a revoked Proxy'],
    ];
    const outcomes = [];
    for (const condition of failing) outcomes.push(await ask(condition)); // one reporter at a time
    for (const o of outcomes) expect(o.decisions).toEqual([false]);
    expect(outcomes.map((o) => o.reported)).toEqual([
      ["Task 't': the retry condition failed, so the failure is not retried: threw"],
      ["Task 't': the retry condition failed, so the failure is not retried: rejected"],
      ["Task 't': the retry condition failed, so the failure is not retried: then threw"],
      ["Task 't': the retry condition failed, so the failure is not retried: read"],
      [
        "Task 't': the retry condition failed, so the failure is not retried: Cannot perform 'get' on a proxy that has been revoked",
      ],
    ]);
  });
});
