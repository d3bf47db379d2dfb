import { getClient, runStates$, setTagConcurrencyLimit, task, type State } from '../../lib/index.node';
import { sleep, withVirtualTime } from './support';

describe('a run cancelled by a runStates$ listener', () => {
  afterEach(() => setTagConcurrencyLimit('cancel-at', null));

  it.each([
    ['Pending', false],
    ['Pending', true],
    ['AwaitingConcurrencySlot', true],
  ] as const)('should end Cancelled at %s (tag limit: %s), and never call the body', async (at, limited) => {
    let calls = 0;
    const work = task({ name: 'cancel-at-work', tags: ['cancel-at'] }, () => ++calls);
    const holder = task({ name: 'cancel-at-holder', tags: ['cancel-at'] }, () => sleep(100));
    if (limited) setTagConcurrencyLimit('cancel-at', 1);
    const seen: State[] = [];
    const cancels: Promise<State>[] = [];
    const sub = runStates$.subscribe(({ run, state }) => {
      if (run.definitionName !== 'cancel-at-work') return;
      seen.push(state);
      if (state.name === at) cancels.push(getClient().cancelRun(run.id));
    });
    try {
      await withVirtualTime(async () => {
        const held = at === 'AwaitingConcurrencySlot' ? holder() : undefined;
        await work().catch(() => undefined);
        await held;
      });
      expect((await Promise.all(cancels)).map((s) => s.name)).toEqual(['Cancelled']);
    } finally {
      sub.unsubscribe();
    }
    expect(seen.map((s) => s.name)).toEqual(
      at === 'Pending' ? ['Pending', 'Cancelled'] : ['Pending', 'AwaitingConcurrencySlot', 'Cancelled'],
    );
    expect(calls).toBe(0);
  });
});
