import { flow, task } from '../../lib/index.node';
import { sleep, withVirtualTime } from '../engine/support';

describe('submit with arguments that break once their upstreams end', () => {
  it('should crash the run whose arguments cannot be read (a revoked Proxy), and settle the flow', async () => {
    const slow = task({ name: 'slow' }, async () => {
      await sleep(1000);
      return 1;
    });
    const use = task({ name: 'use' }, (arg: { f: number }) => arg.f);
    const pipeline = flow({ name: 'hostile' }, async () => {
      const up = slow.submit();
      const { proxy, revoke } = Proxy.revocable({ f: up }, {});
      const down = use.submit(proxy as unknown as { f: number });
      const sibling = use.submit({ f: up } as unknown as { f: number }); // the upstream's other end callback
      revoke();
      const [downState, siblingState] = await Promise.all([down.wait(), sibling.wait()]);
      return { down: downState.type, error: downState.error, sibling: siblingState.type };
    });
    const { down, error, sibling } = await withVirtualTime(() => pipeline());
    expect(down).toBe('CRASHED');
    expect(error).toBeInstanceOf(TypeError); // Cannot perform 'ownKeys' on a proxy that has been revoked
    expect(sibling).toBe('COMPLETED');
  });
});
