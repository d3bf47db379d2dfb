import { z } from 'zod';
import * as errors from '../../lib/errors/index.js';
import {
  CancelledError,
  CrashedError,
  isCancelledError,
  isCrashedError,
  isNonRetriableError,
  isOptionValidationError,
  isParameterValidationError,
  isRxflowError,
  isTimeoutError,
  isUpstreamTaskError,
  NonRetriableError,
  OptionValidationError,
  ParameterValidationError,
  RxflowError,
  TimeoutError,
  UpstreamTaskError,
} from '../../lib/errors/index.js';

interface ErrorCase {
  readonly name: string;
  readonly code: string;
  readonly make: () => RxflowError;
  readonly guard: (value: unknown) => boolean;
}

const CASES: readonly ErrorCase[] = [
  { name: 'TimeoutError', code: 'TIMEOUT', make: () => new TimeoutError(3), guard: isTimeoutError },
  { name: 'CancelledError', code: 'CANCELLED', make: () => new CancelledError(), guard: isCancelledError },
  {
    name: 'NonRetriableError',
    code: 'NON_RETRIABLE',
    make: () => new NonRetriableError('stop'),
    guard: isNonRetriableError,
  },
  {
    name: 'UpstreamTaskError',
    code: 'UPSTREAM_FAILED',
    make: () => new UpstreamTaskError('run-1', 'load'),
    guard: isUpstreamTaskError,
  },
  {
    name: 'ParameterValidationError',
    code: 'PARAMETER_VALIDATION',
    make: () => new ParameterValidationError('etl', []),
    guard: isParameterValidationError,
  },
  {
    name: 'OptionValidationError',
    code: 'INVALID_OPTION',
    make: () => new OptionValidationError("task 'load'", 'retries', 'must be >= 0'),
    guard: isOptionValidationError,
  },
  { name: 'CrashedError', code: 'CRASHED', make: () => new CrashedError('boom'), guard: isCrashedError },
];

/** An error as another copy of the library (another realm or bundle) would make it. */
function foreign(name: string, code: string): Error {
  return Object.assign(new Error('from elsewhere'), { name, code });
}

describe('errors', () => {
  describe.each(CASES)('$name', ({ name, code, make, guard }) => {
    it('should be an Error and an RxflowError', () => {
      const error = make();
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(RxflowError);
      expect(isRxflowError(error)).toBe(true);
      expect(typeof error.stack).toBe('string');
    });

    it('should carry its class name and stable code', () => {
      const error = make();
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(Object.prototype.toString.call(error)).toBe('[object Error]');
      expect(String(error).startsWith(`${name}: `)).toBe(true);
    });

    it('should be recognised by its own guard', () => {
      expect(guard(make())).toBe(true);
    });

    it('should be recognised by its guard when it comes from another copy of the library', () => {
      expect(guard(foreign(name, code))).toBe(true);
    });

    it('should not be recognised by the guard of any other error class', () => {
      for (const other of CASES) {
        if (other.name !== name) expect(other.guard(make())).toBe(false);
      }
    });

    it('should reject look-alikes that are not Errors or lack a code', () => {
      expect(guard(Object.assign(new Error('x'), { name }))).toBe(false);
      expect(guard({ name, code, message: 'x' })).toBe(false);
      expect(guard(new Error(name))).toBe(false);
      for (const value of [undefined, null, 0, '', name, Symbol(name)]) expect(guard(value)).toBe(false);
    });
  });

  it('should give every error class its own code', () => {
    const codes = CASES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('should export a guard named isXError for every class the barrel exports', () => {
    const classes = Object.entries(errors).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
    );
    expect(classes.length).toBeGreaterThanOrEqual(CASES.length);
    for (const [className] of classes) {
      expect(typeof (errors as Record<string, unknown>)[`is${className}`]).toBe('function');
    }
  });

  it('should not treat plain Errors as rxflow errors', () => {
    expect(isRxflowError(new Error('x'))).toBe(false);
    expect(isRxflowError(foreign('TimeoutError', 'TIMEOUT'))).toBe(false);
  });

  it('should keep the cause it was given', () => {
    const cause = new Error('root');
    expect(new NonRetriableError('stop', { cause }).cause).toBe(cause);
    expect(new CancelledError('stop', { cause }).cause).toBe(cause);
    expect(new UpstreamTaskError('run-1', 'load', cause).cause).toBe(cause);
  });

  describe('TimeoutError', () => {
    it('should state the limit and what timed out', () => {
      expect(new TimeoutError(1).message).toMatchInlineSnapshot(`"Run timed out after 1 second"`);
      expect(new TimeoutError(2.5, "Task run 'load-1'").message).toMatchInlineSnapshot(
        `"Task run 'load-1' timed out after 2.5 seconds"`,
      );
      expect(new TimeoutError(0.5).timeoutSeconds).toBe(0.5);
    });
  });

  describe('CancelledError', () => {
    it('should have a default message', () => {
      expect(new CancelledError().message).toMatchInlineSnapshot(`"Run was cancelled"`);
    });
  });

  describe('UpstreamTaskError', () => {
    it('should name the upstream run', () => {
      const error = new UpstreamTaskError('3f2a', 'extract');
      expect(error.message).toMatchInlineSnapshot(`"Upstream task run 'extract' (3f2a) did not complete"`);
      expect(error.upstreamRunId).toBe('3f2a');
    });
  });

  describe('OptionValidationError', () => {
    it('should name the owner, the option and the problem', () => {
      const error = new OptionValidationError(
        "task 'load'",
        'retryDelaySeconds',
        'expected a number >= 0, got -1',
      );
      expect(error.message).toMatchInlineSnapshot(
        `"task 'load': invalid option 'retryDelaySeconds': expected a number >= 0, got -1"`,
      );
      expect(error.option).toBe('retryDelaySeconds');
    });
  });

  describe('ParameterValidationError', () => {
    it('should list every zod issue with its path', () => {
      const schema = z.object({ url: z.string(), pages: z.number().int() });
      const result = schema.safeParse({ url: 1, pages: 1.5 });
      if (result.success) throw new Error('expected the parse to fail');
      const error = new ParameterValidationError('etl', result.error.issues);
      expect(error.issues).toBe(result.error.issues);
      expect(error.message).toMatchInlineSnapshot(`
"Invalid parameters for flow 'etl':
  - url: Invalid input: expected string, received number
  - pages: Invalid input: expected int, received number"
`);
    });

    it('should show issues without a path as (root)', () => {
      const result = z.string().safeParse(5);
      if (result.success) throw new Error('expected the parse to fail');
      expect(new ParameterValidationError('etl', result.error.issues).message).toMatchInlineSnapshot(`
"Invalid parameters for flow 'etl':
  - (root): Invalid input: expected string, received number"
`);
    });
  });
});
