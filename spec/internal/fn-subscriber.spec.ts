import { of, throwError } from 'rxjs';
import { FnSubscriber } from '../../lib/internal/fn-subscriber';

describe('FnSubscriber', () => {
  it('should forward values and completion, then close', () => {
    const seen: unknown[] = [];
    const subscriber = new FnSubscriber<number>(
      (v) => seen.push(v),
      (e) => seen.push(['error', e]),
      () => seen.push('complete'),
    );
    of(1, 2).subscribe(subscriber);
    expect(seen).toEqual([1, 2, 'complete']);
    expect(subscriber.closed).toBe(true);
  });

  it('should forward an error, then close, even when the callback throws', () => {
    const subscriber = new FnSubscriber<number>(
      () => {},
      () => {
        throw new Error('callback failed');
      },
      () => {},
    );
    expect(() => subscriber.error('e')).toThrow('callback failed');
    expect(subscriber.closed).toBe(true);
    const seen: unknown[] = [];
    throwError(() => 'boom').subscribe(
      new FnSubscriber(
        () => {},
        (e) => seen.push(e),
        () => {},
      ),
    );
    expect(seen).toEqual(['boom']);
  });
});
