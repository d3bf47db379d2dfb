import {
  configureClock,
  exponentialBackoff,
  OptionValidationError,
  task,
  type TaskOptions,
} from '../../lib/index.node';
import { seededRandom } from '../../lib/testing/index.node';
import { flaky, recordRunStates, sleep, withVirtualTime, definitionError } from '../engine/support';

/** Defines a task named 't' with `options`, and returns what it threw. */

const body = (name: string) => name;

// [case, the option the error must name, definition]
const INVALID: [string, string, () => unknown][] = [
  ['negative retries', 'retries', () => task({ name: 't', retries: -1 }, body)],
  ['fractional retries', 'retries', () => task({ name: 't', retries: 1.5 }, body)],
  ['NaN retries', 'retries', () => task({ name: 't', retries: NaN }, body)],
  ['string retries', 'retries', () => task({ name: 't', retries: '3' as never }, body)],
  ['negative delay', 'retryDelaySeconds', () => task({ name: 't', retryDelaySeconds: -1 }, body)],
  ['NaN delay', 'retryDelaySeconds', () => task({ name: 't', retryDelaySeconds: NaN }, body)],
  [
    'negative delay in a list',
    'retryDelaySeconds',
    () => task({ name: 't', retryDelaySeconds: [1, -2] }, body),
  ],
  ['string delay', 'retryDelaySeconds', () => task({ name: 't', retryDelaySeconds: '5' as never }, body)],
  [
    'delay function returning a negative',
    'retryDelaySeconds',
    () => task({ name: 't', retries: 2, retryDelaySeconds: () => [1, -1] }, body),
  ],
  [
    'delay function that throws',
    'retryDelaySeconds',
    () =>
      task(
        {
          name: 't',
          retries: 2,
          retryDelaySeconds: () => {
            throw new Error('bad backoff');
          },
        },
        body,
      ),
  ],
  ['negative jitter', 'retryJitterFactor', () => task({ name: 't', retryJitterFactor: -0.1 }, body)],
  ['NaN jitter', 'retryJitterFactor', () => task({ name: 't', retryJitterFactor: NaN }, body)],
  ['negative timeout', 'timeoutSeconds', () => task({ name: 't', timeoutSeconds: -1 }, body)],
  ['NaN timeout', 'timeoutSeconds', () => task({ name: 't', timeoutSeconds: NaN }, body)],
  ['tags not an array', 'tags', () => task({ name: 't', tags: 'etl' as never }, body)],
  ['a tag not a string', 'tags', () => task({ name: 't', tags: ['etl', 1] as never }, body)],
  [
    'retryConditionFn not a function',
    'retryConditionFn',
    () => task({ name: 't', retryConditionFn: true as never }, body),
  ],
  ['hooks not an array', 'onCompletion', () => task({ name: 't', onCompletion: (() => {}) as never }, body)],
  ['a hook not a function', 'onFailure', () => task({ name: 't', onFailure: [1] as never }, body)],
  ['unknown option', 'retrys', () => task({ name: 't', retrys: 3 } as never, body)],
  ['a flow-only option', 'flowRunName', () => task({ name: 't', flowRunName: 'x' } as never, body)],
  ['non-function body', 'fn', () => task({ name: 't' }, 42 as never)],
  ['missing body', 'fn', () => (task as (o: unknown) => unknown)({ name: 't' })],
  [
    'template naming no parameter',
    'taskRunName',
    () => task({ name: 't', taskRunName: 'hello-{nme}' }, body),
  ],
  [
    'template with a bad date format',
    'taskRunName',
    () => task({ name: 't', taskRunName: 'on-{name:yyyy-jj}' }, body),
  ],
  ['taskRunName of the wrong type', 'taskRunName', () => task({ name: 't', taskRunName: 5 as never }, body)],
  ['withOptions', 'retries', () => task({ name: 't' }, body).withOptions({ retries: -3 })],
  ['withOptions unknown option', 'retry', () => task({ name: 't' }, body).withOptions({ retry: 3 } as never)],
];

/**
 * What each message of {@link INVALID} must say. Where the wording is ours, all of it. Where zod
 * (or date-fns) words the problem, our part around it: the task, the option and the bad value
 * (`got`), so that a new zod version's wording does not fail the suite.
 */
const OUR_PART: Record<string, string | { got: string } | { after: string }> = {
  'negative retries': { got: '-1' },
  'fractional retries': { got: '1.5' },
  'NaN retries': { got: 'NaN' },
  'string retries': { got: '"3"' },
  'negative delay': { got: '-1' },
  'NaN delay': { got: 'NaN' },
  'negative delay in a list': { got: '[1, -2]' },
  'string delay': { got: '"5"' },
  'negative jitter': { got: '-0.1' },
  'NaN jitter': { got: 'NaN' },
  'negative timeout': { got: '-1' },
  'NaN timeout': { got: 'NaN' },
  'tags not an array': { got: '"etl"' },
  'a tag not a string': { got: '["etl", 1]' },
  'hooks not an array': { got: 'a function' },
  'taskRunName of the wrong type': { got: '5' },
  withOptions: { got: '-3' },
  'a hook not a function': 'expected a function (got [1])',
  'retryConditionFn not a function': 'expected a function (got true)',
  'delay function returning a negative':
    'the delay function must return at most 50 non-negative numbers, got [1, -1]',
  'delay function that throws': 'the delay function threw: bad backoff',
  'missing body': 'expected the task body to be a function, got undefined',
  'non-function body': 'expected the task body to be a function, got 42',
  'template naming no parameter':
    "the template refers to '{nme}', which is not a parameter of task 't' (parameters read from its source: name); if a bundler or minifier renamed them, set the parameterNames option (one name per parameter, in order)",
  'template with a bad date format': { after: "the date format 'yyyy-jj' in '{name:yyyy-jj}' is invalid: " },
  'unknown option': 'unknown option',
  'a flow-only option': 'unknown option',
  'withOptions unknown option': 'unknown option',
};

/** The message an OptionValidationError of task `name` must have for `option` (see {@link OUR_PART}). */
function ourPart(option: string, part: string | { got: string } | { after: string }, name = 't'): unknown {
  const prefix = `task '${name}': invalid option '${option}': `;
  if (typeof part === 'string') return prefix + part;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Someone else's wording in the middle (or at the end): anything non-empty on one line.
  return 'got' in part
    ? expect.stringMatching(new RegExp(`^${escape(prefix)}\\S[^\\n]* \\(got ${escape(part.got)}\\)$`))
    : expect.stringMatching(new RegExp(`^${escape(prefix + part.after)}\\S[^\\n]*$`));
}

describe('task', () => {
  describe('option validation', () => {
    it.each(INVALID)(
      'should reject %s at definition, naming the task and the option',
      (_label, option, define) => {
        const error = definitionError(define);
        expect(error).toBeInstanceOf(OptionValidationError);
        expect(error.name).toBe('OptionValidationError');
        expect(error.code).toBe('INVALID_OPTION');
        expect(error.option).toBe(option);
        expect(error.message).toContain(`task 't'`);
        expect(error.message).toContain(`'${option}'`);
      },
    );

    it('should say what was wrong, with the bad value', () => {
      const messages = Object.fromEntries(
        INVALID.map(([label, , define]) => [label, definitionError(define).message]),
      );
      expect(messages).toEqual(
        Object.fromEntries(INVALID.map(([label, option]) => [label, ourPart(option, OUR_PART[label]!)])),
      );
    });

    it('should show a NaN inside a delay list as NaN, not null', () => {
      const error = definitionError(() => task({ name: 't', retryDelaySeconds: [1, NaN] }, body));
      expect(error.option).toBe('retryDelaySeconds');
      expect(error.message).toContain('NaN');
    });

    it('should name the task by its function when the name option itself is bad', () => {
      const error = definitionError(() => task({ name: 5 as never }, function loadRows() {}));
      expect(error.option).toBe('name');
      expect(error.message).toEqual(ourPart('name', { got: '5' }, 'loadRows'));
    });

    it('should accept a jitter factor above 1, a zero timeout and the documented delay forms, each with its effect', async () => {
      /** Gaps between the attempts of a task failing `failures` times under `options`. */
      const gapsOf = async (options: TaskOptions<[string], string>, failures: number) => {
        const flakyBody = flaky(failures, (name: string) => name);
        await withVirtualTime(() => task({ name: 't', ...options }, flakyBody)('Ada'));
        return flakyBody.gaps;
      };
      // Factor 2 spreads a 10 s delay over [0, 30 s]: a random source near 0 clamps it to 0, near 1 gives 30 s.
      const jitterUnder = async (end: 0 | 1) => {
        const next = seededRandom(3);
        const restore = configureClock({ random: () => (end === 0 ? next() * 1e-6 : 1 - next() * 1e-6) });
        try {
          return await gapsOf({ retries: 1, retryDelaySeconds: 10, retryJitterFactor: 2 }, 1);
        } finally {
          restore();
        }
      };
      expect((await jitterUnder(0)).map(Math.round)).toEqual([0]);
      expect((await jitterUnder(1)).map(Math.round)).toEqual([30_000]);
      // timeoutSeconds 0: no timeout, an hour-long body completes.
      const slow = task({ name: 't', timeoutSeconds: 0 }, async () => {
        await sleep(3_600_000);
        return 'done';
      });
      await expect(withVirtualTime(() => slow())).resolves.toBe('done');
      expect(await gapsOf({ retries: 3, retryDelaySeconds: [] }, 3)).toEqual([0, 0, 0]);
      expect(await gapsOf({ retries: 3, retryDelaySeconds: [0, 1.5, 10] }, 3)).toEqual([0, 1_500, 10_000]);
      expect(await gapsOf({ retries: 3, retryDelaySeconds: exponentialBackoff(10) }, 3)).toEqual([
        10_000, 20_000, 40_000,
      ]);
      const named = task({ taskRunName: (parameters) => `run-${String(parameters.name)}` }, body);
      const recorder = recordRunStates();
      await named('Grace');
      recorder.stop();
      expect(recorder.runs().map((r) => r.name)).toEqual(['run-Grace']);
    });

    it('should evaluate a delay function once, at definition, with the retries', () => {
      const calls: number[] = [];
      task(
        {
          retries: 3,
          retryDelaySeconds: (retries) => {
            calls.push(retries);
            return [1, 2, 3];
          },
        },
        body,
      );
      expect(calls).toEqual([3]);
    });
  });
});
