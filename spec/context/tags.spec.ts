import { flow, getRunContext, tags, task } from '../../lib/index.node';
import { recordRunStates } from '../engine/support';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const tagsOf = task({ name: 'tags-of' }, () => getRunContext().tags);

describe('tags', () => {
  it('should return what fn returns, sync or async', async () => {
    expect(tags(['a'], () => 42)).toBe(42);
    await expect(tags(['a'], async () => 'later')).resolves.toBe('later');
  });

  it('should add its tags to runs started inside it, also after awaits', async () => {
    const seen = await tags(['nightly'], async () => {
      const first = await tagsOf();
      await tick();
      await new Promise((resolve) => setTimeout(resolve, 0));
      return [first, await tagsOf()];
    });
    expect(seen).toEqual([['nightly'], ['nightly']]);
    await expect(tagsOf()).resolves.toEqual([]);
  });

  it('should merge nested scopes, without duplicates, and restore the outer scope after the inner one', async () => {
    const seen = await tags(['a', 'b'], async () => {
      const inner = await tags(['b', 'c'], async () => {
        await tick();
        return tagsOf();
      });
      return [inner, await tagsOf()];
    });
    expect(seen).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b'],
    ]);
  });

  it('should merge the tags option with the enclosing scopes', async () => {
    const tagged = task({ name: 'tagged', tags: ['own', 'eu'] }, () => getRunContext().tags);
    await expect(tagged()).resolves.toEqual(['own', 'eu']);
    await expect(tags(['eu', 'nightly'], () => tagged())).resolves.toEqual(['eu', 'nightly', 'own']);
  });

  it('should tag flow runs and the task runs inside them, and record the tags on runStates$', async () => {
    const recorder = recordRunStates();
    const inner = task({ name: 'tagged-inner' }, async () => {
      await tick();
      return tags(['deep'], () => tagsOf());
    });
    const f = flow({ name: 'tagged-flow' }, async () => {
      await tick();
      return inner();
    });
    const deepest = await tags(['outer'], () => f());
    recorder.stop();
    expect(deepest).toEqual(['outer', 'deep']);
    const byName = Object.fromEntries(recorder.runs().map((r) => [r.definitionName, r.tags]));
    expect(byName).toEqual({
      'tagged-flow': ['outer'],
      'tagged-inner': ['outer'],
      'tags-of': ['outer', 'deep'],
    });
  });

  it('should keep concurrent scopes apart', async () => {
    const [a, b] = await Promise.all([
      tags(['a'], async () => {
        await tick();
        return tagsOf();
      }),
      tags(['b'], async () => {
        await tick();
        return tagsOf();
      }),
    ]);
    expect(a).toEqual(['a']);
    expect(b).toEqual(['b']);
  });

  it('should reject bad arguments with a clear message', () => {
    const messages = [
      () => tags('nightly' as never, () => 1),
      () => tags(['ok', 3] as never, () => 1),
      () => tags(['ok'], 'not a function' as never),
    ].map((call) => {
      try {
        call();
        return 'did not throw';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    });
    expect(messages).toMatchInlineSnapshot(`
     [
       "TypeError: tags(): expected an array of strings, got "nightly"",
       "TypeError: tags(): expected an array of strings, got ["ok",3]",
       "TypeError: tags(): expected a function as the second argument",
     ]
    `);
  });
});
