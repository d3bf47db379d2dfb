import { isThenable } from '../../lib/internal/is-thenable';
import { hostileValues } from './hostile-values';

describe('isThenable', () => {
  it('should recognise promises and foreign thenables, objects and functions alike', () => {
    expect(isThenable(Promise.resolve(1))).toBe(true);
    expect(isThenable({ then: () => {} })).toBe(true);
    const fn = Object.assign(() => {}, { then: () => {} });
    expect(isThenable(fn)).toBe(true);
  });

  it('should reject everything else', () => {
    for (const value of [null, undefined, 0, 'then', {}, { then: 1 }, () => {}])
      expect(isThenable(value)).toBe(false);
  });

  it('should never throw, and count a value whose then cannot be read as a thenable (await would reject)', () => {
    const values = hostileValues();
    expect(isThenable(values['a throwing then getter'])).toBe(true);
    expect(isThenable(values['a revoked Proxy'])).toBe(true);
    expect(isThenable(values['a Proxy whose every trap throws'])).toBe(true);
    expect(isThenable(values['an object without a prototype'])).toBe(false);
    expect(isThenable(values['a Symbol'])).toBe(false);
  });
});
