// The default (browser) context store: no AsyncLocalStorage is installed in this file.
import { getDefaultClock } from '../../lib/internal/clock';
import {
  contextPropagatesAcrossAwait,
  currentFrame,
  installContextStore,
  runInFrame,
  setFallbackFrame,
  type ContextStore,
  type Frame,
} from '../../lib/internal/context';

const frame = (tags: string[]): Frame => ({
  run: undefined,
  clock: getDefaultClock(),
  tags,
  virtual: undefined,
});

describe('context (stack store)', () => {
  afterEach(() => setFallbackFrame(() => undefined));

  it('should give a root frame on the default clock outside any scope', () => {
    const root = currentFrame();
    expect(root).toEqual({ run: undefined, clock: getDefaultClock(), tags: [], virtual: undefined });
    expect(currentFrame()).toBe(root);
    expect(contextPropagatesAcrossAwait()).toBe(false);
  });

  it('should make a frame current while a function runs synchronously, nested, and restore it after a throw', () => {
    const outer = frame(['outer']);
    const inner = frame(['inner']);
    const seen: string[][] = [];
    runInFrame(outer, () => {
      seen.push([...currentFrame().tags]);
      expect(() =>
        runInFrame(inner, () => {
          seen.push([...currentFrame().tags]);
          throw new Error('x');
        }),
      ).toThrow('x');
      seen.push([...currentFrame().tags]);
    });
    seen.push([...currentFrame().tags]);
    expect(seen).toEqual([['outer'], ['inner'], ['outer'], []]);
  });

  it('should pass arguments and return the result', () => {
    expect(runInFrame(frame([]), (a: number, b: number) => a + b, 2, 3)).toBe(5);
  });

  it('should lose the frame after an await, and use the fallback frame then', async () => {
    const guess = frame(['guessed']);
    const seen = await runInFrame(frame(['body']), async () => {
      const before = currentFrame().tags;
      await null;
      const lost = currentFrame().tags;
      setFallbackFrame(() => guess);
      return [before, lost, currentFrame().tags];
    });
    expect(seen).toEqual([['body'], [], ['guessed']]);
  });

  it('should use an installed store, and never the fallback when that store propagates across awaits', () => {
    let current: Frame | undefined = frame(['from store']);
    const store: ContextStore = {
      propagatesAcrossAwait: true,
      get: () => current,
      run: (f, fn, ...args) => {
        const previous = current;
        current = f;
        try {
          return fn(...args);
        } finally {
          current = previous;
        }
      },
      apply(f, fn, args) {
        return this.run(f, (...a: unknown[]) => (fn as (...x: unknown[]) => unknown)(...a), ...args);
      },
    };
    const previous = installContextStore(store);
    try {
      setFallbackFrame(() => frame(['fallback']));
      expect(contextPropagatesAcrossAwait()).toBe(true);
      expect(currentFrame().tags).toEqual(['from store']);
      current = undefined;
      expect(currentFrame().tags).toEqual([]);
    } finally {
      installContextStore(previous); // the other tests of this file, in any order, use the default
    }
  });
});
