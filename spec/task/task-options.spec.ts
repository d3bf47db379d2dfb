import {
  exponentialBackoff,
  isOptionValidationError,
  OptionValidationError,
  task,
} from '../../lib/index.node';

/** Defines a task named 't' with `options`, and returns what it threw. */
function definitionError(define: () => unknown): OptionValidationError {
  try {
    define();
  } catch (error) {
    expect(isOptionValidationError(error)).toBe(true);
    return error as OptionValidationError;
  }
  throw new Error('expected the definition to throw');
}

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
      expect(messages).toMatchInlineSnapshot(`
       {
         "NaN delay": "task 't': invalid option 'retryDelaySeconds': Invalid input (got NaN)",
         "NaN jitter": "task 't': invalid option 'retryJitterFactor': Invalid input: expected number, received NaN (got NaN)",
         "NaN retries": "task 't': invalid option 'retries': Invalid input: expected number, received NaN (got NaN)",
         "NaN timeout": "task 't': invalid option 'timeoutSeconds': Invalid input: expected number, received NaN (got NaN)",
         "a flow-only option": "task 't': invalid option 'flowRunName': unknown option",
         "a hook not a function": "task 't': invalid option 'onFailure': expected a function (got [1])",
         "a tag not a string": "task 't': invalid option 'tags': Invalid input: expected string, received number (got ["etl", 1])",
         "delay function returning a negative": "task 't': invalid option 'retryDelaySeconds': the delay function must return at most 50 non-negative numbers, got [1, -1]",
         "delay function that throws": "task 't': invalid option 'retryDelaySeconds': the delay function threw: bad backoff",
         "fractional retries": "task 't': invalid option 'retries': Invalid input: expected int, received number (got 1.5)",
         "hooks not an array": "task 't': invalid option 'onCompletion': Invalid input: expected array, received function (got a function)",
         "missing body": "task 't': invalid option 'fn': expected the task body to be a function, got undefined",
         "negative delay": "task 't': invalid option 'retryDelaySeconds': Too small: expected number to be >=0 (got -1)",
         "negative delay in a list": "task 't': invalid option 'retryDelaySeconds': Too small: expected number to be >=0 (got [1, -2])",
         "negative jitter": "task 't': invalid option 'retryJitterFactor': Too small: expected number to be >=0 (got -0.1)",
         "negative retries": "task 't': invalid option 'retries': Too small: expected number to be >=0 (got -1)",
         "negative timeout": "task 't': invalid option 'timeoutSeconds': Too small: expected number to be >=0 (got -1)",
         "non-function body": "task 't': invalid option 'fn': expected the task body to be a function, got 42",
         "retryConditionFn not a function": "task 't': invalid option 'retryConditionFn': expected a function (got true)",
         "string delay": "task 't': invalid option 'retryDelaySeconds': Invalid input (got "5")",
         "string retries": "task 't': invalid option 'retries': Invalid input: expected number, received string (got "3")",
         "tags not an array": "task 't': invalid option 'tags': Invalid input: expected array, received string (got "etl")",
         "taskRunName of the wrong type": "task 't': invalid option 'taskRunName': Invalid input (got 5)",
         "template naming no parameter": "task 't': invalid option 'taskRunName': the template refers to '{nme}', which is not a parameter of task 't' (parameters read from its source: name); if a bundler or minifier renamed them, set the parameterNames option (one name per parameter, in order)",
         "template with a bad date format": "task 't': invalid option 'taskRunName': the date format 'yyyy-jj' in '{name:yyyy-jj}' is invalid: Format string contains an unescaped latin alphabet character \`j\`",
         "unknown option": "task 't': invalid option 'retrys': unknown option",
         "withOptions": "task 't': invalid option 'retries': Too small: expected number to be >=0 (got -3)",
         "withOptions unknown option": "task 't': invalid option 'retry': unknown option",
       }
      `);
    });

    it('should show a NaN inside a delay list as NaN, not null', () => {
      const error = definitionError(() => task({ name: 't', retryDelaySeconds: [1, NaN] }, body));
      expect(error.option).toBe('retryDelaySeconds');
      expect(error.message).toContain('NaN');
    });

    it('should name the task by its function when the name option itself is bad', () => {
      const error = definitionError(() => task({ name: 5 as never }, function loadRows() {}));
      expect(error.option).toBe('name');
      expect(error.message).toMatchInlineSnapshot(
        `"task 'loadRows': invalid option 'name': Invalid input: expected string, received number (got 5)"`,
      );
    });

    it('should accept a jitter factor above 1, a zero timeout and the documented delay forms', () => {
      expect(() => task({ retryJitterFactor: 2 }, body)).not.toThrow();
      expect(() => task({ timeoutSeconds: 0 }, body)).not.toThrow();
      expect(() => task({ retries: 3, retryDelaySeconds: [] }, body)).not.toThrow();
      expect(() => task({ retries: 3, retryDelaySeconds: [0, 1.5, 10] }, body)).not.toThrow();
      expect(() => task({ retries: 3, retryDelaySeconds: exponentialBackoff(10) }, body)).not.toThrow();
      expect(() =>
        task({ taskRunName: (parameters) => `run-${String(parameters.name)}` }, body),
      ).not.toThrow();
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
