import * as errors from '../../lib/errors/index.js';
import { hostileValues } from '../internal/hostile-values';

describe('the isXError guards', () => {
  it('should answer false, never throw, for any thrown value (a revoked Proxy, a throwing name getter)', () => {
    const guards = (Object.entries(errors) as [string, unknown][]).filter(
      (entry): entry is [string, (value: unknown) => boolean] =>
        entry[0].startsWith('is') && typeof entry[1] === 'function',
    );
    expect(guards.length).toBeGreaterThan(5);
    const values = hostileValues();
    for (const [name, guard] of guards)
      for (const [what, value] of Object.entries(values))
        expect([name, what, guard(value)]).toEqual([name, what, false]);
  });
});
