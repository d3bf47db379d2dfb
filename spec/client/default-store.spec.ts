// No isolation here: what a process gets without configuring anything.
import { getClient, getRunStore, MemoryRunStore, task } from '../../lib/index.node';

describe('the default run store', () => {
  it('should be a MemoryRunStore that records every run', async () => {
    expect(getRunStore()).toBeInstanceOf(MemoryRunStore);
    const t = task({ name: 'recorded-by-default' }, (n: number) => n * 2);
    for (let i = 0; i < 3; i++) await t(i);
    const runs = await getClient().readTaskRuns({ name: undefined });
    expect(runs.filter((r) => r.definitionName === 'recorded-by-default').map((r) => r.parameters)).toEqual([
      { n: 2 },
      { n: 1 },
      { n: 0 },
    ]);
  });
});
