import { takeAbortReason, unsubscribeWithReason } from '../../lib/internal/abort-reason';

describe('unsubscribeWithReason', () => {
  it('should make the reason visible to takeAbortReason only during the call, nested calls included', () => {
    const seen: unknown[] = [];
    const fallback = () => 'fallback';
    seen.push(takeAbortReason(fallback));
    unsubscribeWithReason('outer', () => {
      seen.push(takeAbortReason(fallback));
      unsubscribeWithReason('inner', () => seen.push(takeAbortReason(fallback)));
      seen.push(takeAbortReason(fallback));
    });
    seen.push(takeAbortReason(fallback));
    expect(seen).toEqual(['fallback', 'outer', 'inner', 'outer', 'fallback']);
  });

  it('should restore the previous reason when the call throws', () => {
    expect(() =>
      unsubscribeWithReason('r', () => {
        throw new Error('teardown failed');
      }),
    ).toThrow('teardown failed');
    expect(takeAbortReason(() => 'fallback')).toBe('fallback');
  });
});
