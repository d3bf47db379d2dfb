import fc from 'fast-check';
import {
  describeError,
  describeKind,
  describeValue,
  errorMessage,
  isError,
  safeString,
} from '../../lib/internal/describe-kind';
import { hostileValues } from './hostile-values';

const describers = { describeKind, describeValue, describeError, errorMessage, safeString };

describe('the value describers', () => {
  it('should never throw, and always give one string, for values that throw when looked at', () => {
    const out: Record<string, Record<string, string>> = {};
    for (const [name, value] of Object.entries(hostileValues())) {
      out[name] = {};
      for (const [fn, describe] of Object.entries(describers)) {
        const text = describe(value);
        expect(typeof text).toBe('string');
        out[name][fn] = text;
      }
    }
    expect(out['a revoked Proxy']).toEqual({
      describeKind: 'an object',
      describeValue: 'object',
      describeError: 'Non-Error thrown: [unreadable object]',
      errorMessage: 'Non-Error thrown: [unreadable object]',
      safeString: '[unreadable object]',
    });
    expect(out['an Error with throwing name and message getters']!.describeError).toBe(
      'Error: (its message could not be read)',
    );
    expect(out['an Error whose name is a Symbol']!.describeError).toBe('Symbol(n): x');
    expect(out['an object without a prototype']!.describeError).toBe('Non-Error thrown: {}');
    expect(out['a throwing toString and valueOf']!.safeString).toBe('[object Object]');
  });

  it('should never throw for anything fast-check makes', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true }),
        (value) => {
          for (const describe of Object.values(describers)) expect(typeof describe(value)).toBe('string');
        },
      ),
    );
  });

  it('should say an unreadable value is no Error rather than throw', () => {
    for (const value of Object.values(hostileValues())) expect(typeof isError(value)).toBe('boolean');
    expect(isError(new TypeError('t'))).toBe(true);
  });

  it('should describe ordinary values as before', () => {
    expect([null, () => 1, [1], {}, 'text', 42].map(describeKind)).toEqual([
      'null',
      'a function',
      'an array',
      'an object',
      "'text'",
      '42',
    ]);
    expect(errorMessage(new RangeError('too big'))).toBe('too big');
    expect(errorMessage({ code: 1 })).toBe('Non-Error thrown: {"code":1}');
  });
});
