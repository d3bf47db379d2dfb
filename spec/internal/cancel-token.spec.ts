import fc from 'fast-check';
import { CancelToken, type AbortChild } from '../../lib/internal/cancel-token';

/** A child that records what it heard, and may end siblings when it hears. */
function child(name: string, heard: string[], onAbort?: () => void): AbortChild {
  return {
    prevChild: undefined,
    nextChild: undefined,
    parentToken: undefined,
    parentAborted(reason) {
      heard.push(`${name}:${String(reason)}`);
      onAbort?.();
    },
  };
}

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

  describe('children', () => {
    it('should abort attached children oldest first, and not detached ones', () => {
      const token = new CancelToken();
      const heard: string[] = [];
      const [a, b, c] = ['a', 'b', 'c'].map((n) => child(n, heard));
      token.attach(a!);
      token.attach(b!);
      token.attach(c!);
      token.detach(b!);
      token.abort('stop');
      expect(heard).toEqual(['a:stop', 'c:stop']);
      expect(a!.parentToken).toBeUndefined();
    });

    it('should abort a child attached after the abort at once', () => {
      const token = new CancelToken();
      token.abort('late');
      const heard: string[] = [];
      token.attach(child('x', heard));
      expect(heard).toEqual(['x:late']);
    });

    it('should reach every child when one detaches others as it hears', () => {
      const token = new CancelToken();
      const heard: string[] = [];
      const d = child('d', heard);
      const e = child('e', heard);
      // c ends d and e as it stops (they waited on it), then b is still reached.
      const c = child('c', heard, () => {
        token.detach(d);
        token.detach(e);
      });
      const b = child('b', heard);
      for (const x of [c, d, b, e]) token.attach(x);
      token.abort('r');
      expect(heard).toEqual(['c:r', 'b:r']);
    });

    it('should keep the list consistent under any attaches and detaches (model: an array)', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(9)), { maxLength: 60 }), (ops) => {
          const token = new CancelToken();
          const heard: string[] = [];
          const pool = Array.from({ length: 10 }, (_, i) => child(String(i), heard));
          const model: AbortChild[] = [];
          for (const [attach, i] of ops) {
            const x = pool[i]!;
            if (attach && x.parentToken === undefined) {
              token.attach(x);
              model.push(x);
            } else if (!attach) {
              token.detach(x);
              const at = model.indexOf(x);
              if (at >= 0) model.splice(at, 1);
            }
          }
          token.abort('z');
          expect(heard).toEqual(model.map((x) => `${pool.indexOf(x)}:z`));
          for (const x of pool) expect(x.parentToken).toBeUndefined();
        }),
      );
    });
  });
});
