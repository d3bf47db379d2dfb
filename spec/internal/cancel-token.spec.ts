import { CancelToken } from '../../lib/internal/cancel-token';

describe('CancelToken', () => {
  it('should start not aborted, with a live signal created on first read', () => {
    const token = new CancelToken();
    expect(token.aborted).toBe(false);
    const signal = token.signal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(token.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
  });

  it('should abort the signal with the reason, once', () => {
    const token = new CancelToken();
    const signal = token.signal;
    const reason = new Error('stop');
    token.abort(reason);
    token.abort(new Error('again'));
    expect(token.aborted).toBe(true);
    expect(token.reason).toBe(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('should hand out an already aborted signal when it is first read after the abort', () => {
    const token = new CancelToken();
    token.abort('why');
    expect(token.signal.aborted).toBe(true);
    expect(token.signal.reason).toBe('why');
  });

  it('should call onAbort listeners once, at once when already aborted, unless removed', () => {
    const token = new CancelToken();
    const calls: string[] = [];
    token.onAbort((r) => calls.push(`a:${String(r)}`));
    const remove = token.onAbort((r) => calls.push(`b:${String(r)}`));
    remove();
    token.abort('x');
    token.abort('y');
    token.onAbort((r) => calls.push(`late:${String(r)}`));
    expect(calls).toEqual(['a:x', 'late:x']);
  });
});
