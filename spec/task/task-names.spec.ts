/* eslint-disable @typescript-eslint/no-unused-vars -- the engine reads parameter names from the body's source */
import { z } from 'zod';
import { flow, getRunContext, task, type RunInfo } from '../../lib/index.node';
import { names, outcome, recordRunStates } from '../engine/support';

const runOf = async (call: () => Promise<unknown>): Promise<RunInfo> => {
  const recorder = recordRunStates();
  try {
    await call();
  } finally {
    recorder.stop();
  }
  return recorder.runs()[0]!;
};

describe('task', () => {
  describe('parameters', () => {
    it('should record arguments by parameter name', async () => {
      const t = task((table: string, limit: number) => getRunContext().parameters);
      await expect(t('users', 5)).resolves.toEqual({ table: 'users', limit: 5 });
    });

    it('should record a defaulted parameter by name when passed, and leave it out when not', async () => {
      const greet = task((name: string, greeting = 'hello') => ({
        said: `${greeting} ${name}`,
        ...getRunContext().parameters,
      }));
      await expect(greet('ada', 'hi')).resolves.toEqual({ said: 'hi ada', name: 'ada', greeting: 'hi' });
      await expect(greet('ada')).resolves.toEqual({ said: 'hello ada', name: 'ada' });
    });

    it("should record a destructured parameter positionally as '0'", async () => {
      const t = task(({ id }: { id: number }, verbose: boolean) => getRunContext().parameters);
      await expect(t({ id: 7 }, true)).resolves.toEqual({ '0': { id: 7 }, verbose: true });
    });

    it('should gather rest parameters into an array under their name', async () => {
      const t = task((first: string, ...others: string[]) => getRunContext().parameters);
      await expect(t('a', 'b', 'c')).resolves.toEqual({ first: 'a', others: ['b', 'c'] });
    });
  });

  describe('run names', () => {
    it('should name a task run after the task, and a flow run with a readable random name, by default', async () => {
      const taskRun = await runOf(() => task({ name: 'extract' }, () => 1)());
      expect(taskRun.name).toMatch(/^extract-[0-9a-f]{3}$/);
      const flowRun = await runOf(() => flow(() => 1)());
      expect(flowRun.name).toMatch(/^[a-z]+-[a-z]+$/);
    });

    it('should render a taskRunName template with parameters and date-fns formats', async () => {
      const greet = task({ taskRunName: 'hello-{name}-on-{date:EEEE}' }, (name: string, date: Date) => name);
      const run = await runOf(() => greet('marvin', new Date(2024, 0, 1)));
      expect(run.name).toBe('hello-marvin-on-Monday');
    });

    it('should call a taskRunName function with the parameters and the run', async () => {
      const seen: unknown[] = [];
      const load = task(
        {
          name: 'load',
          tags: ['t1'],
          taskRunName: (parameters, run) => {
            seen.push(parameters, { kind: run.kind, definitionName: run.definitionName, tags: run.tags });
            return `load-${String(parameters.table)}`;
          },
        },
        (table: string) => table,
      );
      const run = await runOf(() => load('users'));
      expect(run.name).toBe('load-users');
      expect(seen).toEqual([{ table: 'users' }, { kind: 'task', definitionName: 'load', tags: ['t1'] }]);
    });

    it('should render a flowRunName template from the parsed parameters, defaults included', async () => {
      const etl = flow(
        {
          flowRunName: 'etl-{region}-{day:yyyy-MM-dd}',
          parameters: z.object({ region: z.string().default('eu'), day: z.date() }),
        },
        ({ region }) => region,
      );
      const run = await runOf(() => etl({ day: new Date(2024, 2, 5) }));
      expect(run.name).toBe('etl-eu-2024-03-05');
    });

    it('should accept a flowRunName function', async () => {
      const etl = flow({ flowRunName: (parameters) => `etl-${String(parameters.n)}` }, (n: number) => n);
      expect((await runOf(() => etl(3))).name).toBe('etl-3');
    });

    it('should crash the run when the run-name function does not return a non-empty string', async () => {
      const recorder = recordRunStates();
      const bad = task({ name: 'unnamed', taskRunName: () => '' }, () => 1);
      const result = await outcome(bad());
      recorder.stop();
      expect(names(recorder.statesOf('unnamed'))).toEqual(['Pending', 'Crashed']);
      expect(result.ok).toBe(false);
      expect(String((result as { error: unknown }).error)).toMatchInlineSnapshot(
        `"TypeError: task 'unnamed': the run name function returned "", expected a non-empty string"`,
      );
      // The bad value should be visible in the message, quoted like other option values.
      expect(String((result as { error: unknown }).error)).toContain('returned ""');
    });
  });
});
