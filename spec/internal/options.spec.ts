import { z } from 'zod';
import { define, describe as describeValue } from '../../lib/internal/options';
import { exponentialBackoff } from '../../lib/policies/backoff';

describe('define', () => {
  it('should fill in defaults', () => {
    const def = define('task', {}, function extract(table: string) {
      return table;
    });
    expect(def).toMatchObject({
      kind: 'task',
      name: 'extract',
      tags: [],
      retries: 0,
      retryDelaySeconds: 0,
      retryJitterFactor: 0,
      timeoutSeconds: 0,
      retryConditionFn: undefined,
      runName: undefined,
      parameterSchema: undefined,
      validateParameters: true,
      params: { names: ['table'], rest: undefined },
    });
    expect(define('flow', {}, () => 1).name).toBe('flow');
    expect(define('task', {}, () => 1).name).toBe('task');
  });

  it('should evaluate a delay function once with the retries, and freeze delay lists', () => {
    const fromFn = define('task', { retries: 3, retryDelaySeconds: exponentialBackoff(10) }, () => 1);
    expect(fromFn.retryDelaySeconds).toEqual([10, 20, 40]);
    expect(Object.isFrozen(fromFn.retryDelaySeconds)).toBe(true);
    const list = [1, 2];
    const fromList = define('task', { retryDelaySeconds: list }, () => 1);
    list.push(3);
    expect(fromList.retryDelaySeconds).toEqual([1, 2]);
  });

  it('should copy hook lists, so changing the options object later changes nothing', () => {
    const hook = () => {};
    const onCompletion = [hook];
    const def = define('task', { onCompletion }, () => 1);
    onCompletion.push(() => {});
    expect(def.hooks.onCompletion).toEqual([hook]);
    expect(def.hooks).toEqual({
      onCompletion: [hook],
      onFailure: [],
      onRunning: [],
      onCancellation: [],
      onCrashed: [],
    });
  });

  it('should keep a flow’s parameters schema and compile run-name templates', () => {
    const schema = z.object({ day: z.string() });
    const def = define(
      'flow',
      { parameters: schema, flowRunName: 'etl-{day}', validateParameters: false },
      () => 1,
    );
    expect(def.parameterSchema).toBe(schema);
    expect(def.validateParameters).toBe(false);
    expect(def.runName).toMatchObject({ keys: ['day'] });
  });

  it('should reject a delay function returning more than 50 delays', () => {
    expect(() => define('task', { retries: 51, retryDelaySeconds: exponentialBackoff(1) }, () => 1)).toThrow(
      /retryDelaySeconds/,
    );
  });
});

describe('describe', () => {
  it('should describe bad values briefly', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(
      [() => 1, 1, true, undefined, null, 'text', [1, 'a'], { a: 1 }, circular, 10n].map((v) =>
        describeValue(v),
      ),
    ).toMatchInlineSnapshot(`
     [
       "a function",
       "1",
       "true",
       "undefined",
       "null",
       ""text"",
       "[1, "a"]",
       "{"a":1}",
       "object",
       "bigint",
     ]
    `);
  });
});
