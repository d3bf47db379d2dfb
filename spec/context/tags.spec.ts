import { flow, getRunContext, tags, task } from '../../lib/index.node';
import { recordRunStates } from '../engine/support';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const tagsOf = task({ name: 'tags-of' }, () => getRunContext().tags);
const tagsOfItem = task({ name: 'tags-of-item' }, (_item: number) => getRunContext().tags);

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

  it('should give subflows the enclosing tags() scopes, also one opened inside the parent flow', async () => {
    const recorder = recordRunStates();
    const sub = flow({ name: 'tags-sub', tags: ['sub-own'] }, async () => {
      await tick();
      return { flow: getRunContext().tags, task: await tagsOf() };
    });
    const parent = flow({ name: 'tags-parent', tags: ['parent-own'] }, async () => {
      await tick();
      const direct = await sub();
      const scoped = await tags(['inner'], () => sub());
      return { direct, scoped };
    });
    const seen = await tags(['outer'], () => parent());
    recorder.stop();
    // A run's own tags reach neither its children nor its subflows (as in Prefect).
    expect(seen).toEqual({
      direct: { flow: ['outer', 'sub-own'], task: ['outer'] },
      scoped: { flow: ['outer', 'inner', 'sub-own'], task: ['outer', 'inner'] },
    });
    expect(recorder.runs().map((r) => [r.definitionName, r.tags])).toEqual(
      expect.arrayContaining([
        ['tags-parent', ['outer', 'parent-own']],
        ['tags-sub', ['outer', 'sub-own']],
        ['tags-sub', ['outer', 'inner', 'sub-own']],
      ]),
    );
  });

  it('should pass the enclosing tags to every run a flow body starts: called, submitted, mapped', async () => {
    const body = flow({ name: 'tags-body', tags: ['flow-own'] }, async () => {
      const called = await tagsOf();
      await tick();
      const submitted = await tagsOf.submit().result();
      const mapped = await tagsOfItem.map([1, 2]).result();
      const scoped = await tags(['inner'], () => tagsOf.submit().result());
      return { flow: getRunContext().tags, called, submitted, mapped, scoped };
    });
    await expect(tags(['outer', 'eu'], () => body())).resolves.toEqual({
      flow: ['outer', 'eu', 'flow-own'],
      called: ['outer', 'eu'],
      submitted: ['outer', 'eu'],
      mapped: [
        ['outer', 'eu'],
        ['outer', 'eu'],
      ],
      scoped: ['outer', 'eu', 'inner'],
    });
    // Without a scope, a flow's tasks have none, whatever the flow's own tags.
    await expect(body()).resolves.toMatchObject({
      flow: ['flow-own'],
      called: [],
      submitted: [],
      scoped: ['inner'],
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
