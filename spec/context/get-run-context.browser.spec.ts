// The root browser entry: no AsyncLocalStorage, so the context is current only synchronously.
import { flow, getRunContext, MissingContextError, task } from '../../lib/index';

describe('getRunContext (browser entry)', () => {
  it('should explain the await limitation when called outside a run', () => {
    expect(() => getRunContext()).toThrowErrorMatchingInlineSnapshot(
      `"getRunContext() was called outside a task or flow run (without AsyncLocalStorage the context is only current until the body's first await)"`,
    );
  });

  it('should give the run before the body’s first await', async () => {
    const t = task({ name: 'sync-part' }, async (n: number) => {
      const { taskRun, parameters } = getRunContext();
      await null;
      return { name: taskRun?.definitionName, parameters, n };
    });
    await expect(t(3)).resolves.toEqual({ name: 'sync-part', parameters: { n: 3 }, n: 3 });
  });

  it('should throw after the first await of a standalone task, when no flow is active', async () => {
    const t = task(async () => {
      await null;
      return getRunContext();
    });
    await expect(t()).rejects.toBeInstanceOf(MissingContextError);
  });

  it('should link runs started after an await in a flow body to the flow run', async () => {
    const child = task(() => getRunContext().taskRun?.flowRunId);
    const parent = flow(async () => {
      const own = getRunContext().flowRun?.id;
      await null;
      return { own, linked: await child() };
    });
    const { own, linked } = await parent();
    expect(linked).toBe(own);
  });
});
