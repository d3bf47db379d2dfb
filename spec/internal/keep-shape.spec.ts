import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { keepShape } from '../../lib/internal/keep-shape';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('keepShape', () => {
  it('should return the instance and keep it alive through a full GC', async () => {
    class Probe {
      readonly a = 1;
    }
    let kept: WeakRef<Probe> | undefined;
    let dropped: WeakRef<Probe> | undefined;
    (() => {
      const instance = new Probe();
      expect(keepShape(instance)).toBe(instance);
      kept = new WeakRef(instance);
      dropped = new WeakRef(new Probe());
    })();
    // A WeakRef holds its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(kept!.deref()).toBeInstanceOf(Probe);
    // The control: without keepShape, the same kind of object is collected.
    expect(dropped!.deref()).toBeUndefined();
  });
});
