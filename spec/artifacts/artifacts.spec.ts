import {
  artifacts$,
  createLinkArtifact,
  createMarkdownArtifact,
  createProgressArtifact,
  createTableArtifact,
  flow,
  getClient,
  isArtifactNotFoundError,
  isArtifactValidationError,
  task,
  updateProgressArtifact,
  type ArtifactRecord,
  type TableData,
} from '../../lib/index.node';
import { withVirtualTime } from '../../lib/testing/index.node';
import { isolateObservability } from '../client/support';

function recordArtifacts() {
  const seen: ArtifactRecord[] = [];
  const subscription = artifacts$.subscribe((a) => seen.push(a));
  return { seen, stop: () => subscription.unsubscribe() };
}

/** The message of the error `promise` rejects with, and whether it is an ArtifactValidationError. */
async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isArtifactValidationError(error)).toBe(true);
  return (error as Error).message;
}

describe('artifacts', () => {
  isolateObservability();

  it('should create each kind linked to the task run and its flow run, on the run clock', async () => {
    const report = task({ name: 'report', taskRunName: 'report-run' }, async () => [
      await createMarkdownArtifact('# Sales', { key: 'sales-report', description: 'daily' }),
      await createTableArtifact([{ region: 'eu', total: 3 }]),
      await createLinkArtifact('https://example.com/run', { linkText: 'Dashboard' }),
      await createProgressArtifact(40, { key: 'progress' }),
    ]);
    const main = flow({ name: 'main', flowRunName: 'main-run' }, () => report());
    const artifacts = recordArtifacts();
    const ids = await withVirtualTime(() => main(), { start: Date.UTC(2025, 0, 1) });
    artifacts.stop();

    const flowRun = (await getClient().readFlowRuns({ name: 'main-run' }))[0]!;
    const taskRun = (await getClient().readTaskRuns({ name: 'report-run' }))[0]!;
    const common = {
      flowRunId: flowRun.id,
      taskRunId: taskRun.id,
      createdAt: new Date(Date.UTC(2025, 0, 1)),
    };
    const expected = [
      { id: ids[0], type: 'markdown', data: '# Sales', key: 'sales-report', description: 'daily', ...common },
      { id: ids[1], type: 'table', data: [{ region: 'eu', total: 3 }], ...common },
      {
        id: ids[2],
        type: 'link',
        data: { link: 'https://example.com/run', linkText: 'Dashboard' },
        ...common,
      },
      { id: ids[3], type: 'progress', data: 40, key: 'progress', ...common },
    ];
    expect(artifacts.seen).toEqual(expected);
    expect(artifacts.seen.every((a) => Object.isFrozen(a))).toBe(true);
    expect(new Set(ids).size).toBe(4);
    expect(await getClient().readArtifacts(taskRun.id)).toEqual(expected);
    // A flow run's artifacts include those of its task runs.
    expect(await getClient().readArtifacts(flowRun.id)).toEqual(expected);
  });

  it('should link a flow body’s artifact to the flow run only', async () => {
    const [id, flowRunId] = await flow({ name: 'f' }, async () => [
      await createMarkdownArtifact('hi'),
      (await getClient().readFlowRuns({ flowName: 'f' }))[0]!.id,
    ])();
    const [artifact] = await getClient().readArtifacts(flowRunId!);
    expect(artifact).toMatchObject({ id, flowRunId });
    expect(artifact).not.toHaveProperty('taskRunId');
  });

  it('should accept a table as rows of objects, rows of arrays, or equal-length columns, and copy it', async () => {
    const rows = [{ a: 1 }, { a: 2, b: 'x' }];
    const artifacts = recordArtifacts();
    await createTableArtifact(rows);
    await createTableArtifact([
      [1, 2],
      [3, 4, 5],
    ]);
    await createTableArtifact({ region: ['eu', 'us'], total: [3, 5] });
    await createTableArtifact([]);
    artifacts.stop();
    rows[0]!.a = 99;
    expect(artifacts.seen.map((a) => a.data)).toEqual([
      [{ a: 1 }, { a: 2, b: 'x' }],
      [
        [1, 2],
        [3, 4, 5],
      ],
      { region: ['eu', 'us'], total: [3, 5] },
      [],
    ]);
  });

  it('should create artifacts outside a run, linked to no run', async () => {
    const artifacts = recordArtifacts();
    await createMarkdownArtifact('standalone');
    artifacts.stop();
    expect(artifacts.seen[0]).not.toHaveProperty('flowRunId');
    expect(artifacts.seen[0]).not.toHaveProperty('taskRunId');
  });

  it('should update a progress artifact in place: same id, new data, replaced in the store', async () => {
    const artifacts = recordArtifacts();
    const [id, taskRunId] = await task({ name: 'import' }, async () => {
      const progress = await createProgressArtifact(0, { key: 'import-progress' });
      for (const p of [25, 50, 100]) await updateProgressArtifact(progress, p);
      return [progress, (await getClient().readTaskRuns({ limit: 1 }))[0]!.id];
    })();
    artifacts.stop();
    expect(artifacts.seen.map((a) => [a.id === id, a.data])).toEqual([
      [true, 0],
      [true, 25],
      [true, 50],
      [true, 100],
    ]);
    expect(artifacts.seen.map((a) => a.createdAt)).toEqual(Array(4).fill(artifacts.seen[0]!.createdAt));
    const stored = await getClient().readArtifacts(taskRunId!);
    expect(stored).toEqual([artifacts.seen[3]]);
  });

  it('should reject updating an id that is not a progress artifact', async () => {
    const markdown = await createMarkdownArtifact('not progress');
    for (const id of [markdown, 'no-such-id']) {
      const error = await updateProgressArtifact(id, 10).catch((e: unknown) => e);
      expect(isArtifactNotFoundError(error)).toBe(true);
    }
    await expect(updateProgressArtifact('no-such-id', 10)).rejects.toThrowErrorMatchingInlineSnapshot(
      `"updateProgressArtifact: no progress artifact with id 'no-such-id' (created by createProgressArtifact in this process)"`,
    );
  });

  describe('validation', () => {
    it('should name a bad key, description or unknown option', async () => {
      expect(await rejection(createMarkdownArtifact('# x', { key: 'Daily Report', description: 3 as never })))
        .toMatchInlineSnapshot(`
"createMarkdownArtifact: invalid artifact:
  - options.key: must be lowercase letters, digits and single dashes, such as "daily-report" (got "Daily Report")
  - options.description: expected a string (got 3)"
`);
      expect(await rejection(createMarkdownArtifact('# x', { title: 'x' } as never))).toMatchInlineSnapshot(`
"createMarkdownArtifact: invalid artifact:
  - options: unknown key 'title'"
`);
      expect(await rejection(createMarkdownArtifact(42 as never))).toMatchInlineSnapshot(`
"createMarkdownArtifact: invalid artifact:
  - markdown: expected a string of markdown (got 42)"
`);
    });

    it('should name every bad row and uneven column of a table', async () => {
      expect(await rejection(createTableArtifact([{ a: 1 }, [2], null] as never))).toMatchInlineSnapshot(`
"createTableArtifact: invalid artifact:
  - table[1]: expected a row as an object, like the first row (got [2])
  - table[2]: expected a row as an object, like the first row (got null)"
`);
      expect(await rejection(createTableArtifact({ a: [1, 2, 3], b: [1, 2], c: 'x' } as never)))
        .toMatchInlineSnapshot(`
"createTableArtifact: invalid artifact:
  - table.b: expected 3 values, as column 'a' has (got [1, 2])
  - table.c: expected a column as an array of values (got "x")"
`);
      expect(await rejection(createTableArtifact('a,b\n1,2' as unknown as TableData))).toMatchInlineSnapshot(`
"createTableArtifact: invalid artifact:
  - table: expected a list of rows (objects or arrays) or an object of equal-length columns (got "a,b\\n1,2")"
`);
    });

    it('should require a progress from 0 to 100 and a non-empty link', async () => {
      expect(await rejection(createProgressArtifact(120))).toMatchInlineSnapshot(`
"createProgressArtifact: invalid artifact:
  - progress: expected a number from 0 to 100 (got 120)"
`);
      expect(await rejection(createProgressArtifact(Number.NaN))).toMatchInlineSnapshot(`
"createProgressArtifact: invalid artifact:
  - progress: expected a number from 0 to 100 (got NaN)"
`);
      const id = await createProgressArtifact(5);
      expect(await rejection(updateProgressArtifact(id, -1))).toMatchInlineSnapshot(`
"updateProgressArtifact: invalid artifact:
  - progress: expected a number from 0 to 100 (got -1)"
`);
      expect(await rejection(createLinkArtifact('', { linkText: 7 as never }))).toMatchInlineSnapshot(`
"createLinkArtifact: invalid artifact:
  - link: expected a non-empty address (got "")
  - options.linkText: expected a string (got 7)"
`);
    });
  });
});
