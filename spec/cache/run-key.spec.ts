import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import {
  FLOW_PARAMETERS,
  INPUTS,
  RUN_ID,
  TASK_SOURCE,
  type CachePolicy,
  type RunInfo,
} from '../../lib/index.node';
import { isCacheKeyError } from '../../lib/cache/cache-key-error';
import { runCacheKey } from '../../lib/cache/run-key';
import { define } from '../../lib/internal/options';
import { hostileValues } from '../internal/hostile-values';

/**
 * The oracle's equality: the key rightly treats `{}` and `Object.create(null)` (fc.dictionary
 * makes both) as equal, so compare copies with a common prototype.
 */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(plain);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

const load = (table: string, limit: unknown, noise: unknown) => [table, limit, noise];

function keyOf(
  policy: CachePolicy | ((...args: never[]) => unknown),
  parameters: Record<string, unknown>,
  run: Partial<RunInfo> = {},
  flowRun?: Partial<RunInfo>,
) {
  const keying = typeof policy === 'function' ? { cacheKeyFn: policy } : { cachePolicy: policy };
  const plan = define('task', { name: 'load', ...keying }, load).results!;
  const info = {
    id: 'task-run',
    name: 'load-1',
    kind: 'task',
    definitionName: 'load',
    tags: [],
    parameters,
    runCount: 1,
    startTime: new Date(0),
    ...run,
  } as RunInfo;
  return runCacheKey(plan, info, flowRun as RunInfo | undefined, { name: 'load', fn: load });
}

const arbValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }),
  fc.array(fc.oneof(fc.string(), fc.integer())),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
);

describe('cache keys of task runs', () => {
  it('should never change when only an excluded input changes', () => {
    fc.assert(
      fc.property(fc.string(), arbValue, arbValue, arbValue, (table, limit, noise1, noise2) => {
        const policy = INPUTS.exclude('noise');
        expect(keyOf(policy, { table, limit, noise: noise1 })).toBe(
          keyOf(policy, { table, limit, noise: noise2 }),
        );
      }),
    );
  });

  it('should change when an included input changes', () => {
    fc.assert(
      fc.property(fc.string(), arbValue, arbValue, arbValue, (table, limit, other, noise) => {
        fc.pre(!isDeepStrictEqual(plain(limit), plain(other)));
        const policy = INPUTS.exclude('noise');
        expect(keyOf(policy, { table, limit, noise })).not.toBe(
          keyOf(policy, { table, limit: other, noise }),
        );
      }),
    );
  });

  it('should key RUN_ID by the flow run (else the task run), and FLOW_PARAMETERS by its parameters in any order', () => {
    const params = { table: 't', limit: 1, noise: 0 };
    const inFlow = (id: string) => keyOf(RUN_ID, params, { flowRunId: id });
    expect(inFlow('flow-1')).toBe(inFlow('flow-1'));
    expect(inFlow('flow-1')).not.toBe(inFlow('flow-2'));
    expect(keyOf(RUN_ID, params, { id: 'a' })).not.toBe(keyOf(RUN_ID, params, { id: 'b' }));
    const byFlow = (parameters: Record<string, unknown>) =>
      keyOf(FLOW_PARAMETERS, params, {}, { parameters } as Partial<RunInfo>);
    expect(byFlow({ day: 'mon', region: 'eu' })).toBe(byFlow({ region: 'eu', day: 'mon' }));
    expect(byFlow({ day: 'mon' })).not.toBe(byFlow({ day: 'tue' }));
    expect(byFlow({})).toBeNull();
    expect(keyOf(FLOW_PARAMETERS, params)).toBeNull();
  });

  it('should give TASK_SOURCE one key whatever the inputs, and differ from INPUTS + TASK_SOURCE', () => {
    expect(keyOf(TASK_SOURCE, { table: 'a' })).toBe(keyOf(TASK_SOURCE, { table: 'b' }));
    expect(keyOf(TASK_SOURCE, { table: 'a' })).not.toBe(keyOf(INPUTS.add(TASK_SOURCE), { table: 'a' }));
    expect(keyOf(INPUTS, {})).toBeNull();
  });

  it.each([
    ['a revoked Proxy', 'Non-Error thrown: [unreadable object]'],
    ['an object without a prototype', 'Non-Error thrown: {}'],
    ['an Error with throwing name and message getters', 'Error: (its message could not be read)'],
  ])('should throw a CacheKeyError describing what a cacheKeyFn threw: %s', (name, described) => {
    const thrown = hostileValues()[name];
    let error: unknown;
    try {
      keyOf(
        () => {
          throw thrown;
        },
        { table: 'a' },
      );
    } catch (e) {
      error = e;
    }
    expect(isCacheKeyError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `Cannot compute the cache key of task 'load': its cacheKeyFn threw: ${described}`,
    );
    expect((error as Error).cause).toBe(thrown);
  });
});
