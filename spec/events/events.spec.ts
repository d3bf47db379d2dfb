import {
  emitEvent,
  events$,
  flow,
  isEventValidationError,
  runStates$,
  task,
  type RunStateEvent,
  type RxflowEvent,
} from '../../lib/index.node';
import { stateBus } from '../../lib/internal/engine/bus';
import { withVirtualTime } from '../../lib/testing/index.node';
import { isolateObservability } from '../client/support';

function record<T>(source: { subscribe(fn: (v: T) => void): { unsubscribe(): void } }) {
  const seen: T[] = [];
  const subscription = source.subscribe((v) => seen.push(v));
  return { seen, stop: () => subscription.unsubscribe() };
}

describe('events$', () => {
  isolateObservability();

  it('should emit rxflow.<kind>-run.<StateName> for every state transition, in order', async () => {
    let calls = 0;
    const flakyStep = task({ name: 'flaky', retries: 2, retryDelaySeconds: 10 }, () => {
      if (++calls < 3) throw new Error(`attempt ${calls} fails`);
      return calls;
    });
    const timesOut = task({ name: 'slow', timeoutSeconds: 1 }, () => new Promise(() => {}));
    const main = flow({ name: 'main' }, async () => {
      await flakyStep();
      await timesOut().catch(() => 'timed out');
    });

    const transitions = record<RunStateEvent>(runStates$);
    const events = record<RxflowEvent>(events$);
    await withVirtualTime(() => main());
    transitions.stop();
    events.stop();

    expect(events.seen.map((e) => e.event)).toEqual(
      transitions.seen.map(({ run, state }) => `rxflow.${run.kind}-run.${state.name}`),
    );
    expect(events.seen.map((e) => e.event)).toEqual([
      'rxflow.flow-run.Pending',
      'rxflow.flow-run.Running',
      'rxflow.task-run.Pending',
      'rxflow.task-run.Running',
      'rxflow.task-run.AwaitingRetry',
      'rxflow.task-run.Retrying',
      'rxflow.task-run.AwaitingRetry',
      'rxflow.task-run.Retrying',
      'rxflow.task-run.Completed',
      'rxflow.task-run.Pending',
      'rxflow.task-run.Running',
      'rxflow.task-run.TimedOut',
      'rxflow.flow-run.Completed',
    ]);
    events.seen.forEach((e, i) => {
      const { run, state } = transitions.seen[i]!;
      expect(e.occurred).toBe(state.timestamp);
      expect(e.payload).toEqual({ state, runCount: run.runCount });
      expect(Object.isFrozen(e)).toBe(true);
    });
    expect(new Set(events.seen.map((e) => e.id)).size).toBe(events.seen.length);
  });

  it('should describe the run as the resource and relate its flow run, parent, definition and tags', async () => {
    const inner = task({ name: 'inner', taskRunName: 'inner-run', tags: ['db'] }, () => 1);
    const outer = task({ name: 'outer', taskRunName: 'outer-run' }, () => inner());
    const main = flow({ name: 'main', flowRunName: 'main-run' }, () => outer());
    const transitions = record<RunStateEvent>(runStates$);
    const events = record<RxflowEvent>(events$);
    await main();
    transitions.stop();
    events.stop();
    const ids = new Map(transitions.seen.map(({ run }) => [run.name, run.id]));
    const completed = events.seen.find(
      (e) => e.event === 'rxflow.task-run.Completed' && e.resource.name === 'inner-run',
    )!;
    expect(completed.resource).toEqual({
      id: `rxflow.task-run.${ids.get('inner-run')}`,
      name: 'inner-run',
      stateType: 'COMPLETED',
      stateName: 'Completed',
    });
    expect(completed.related).toEqual([
      { id: `rxflow.flow-run.${ids.get('main-run')}`, role: 'flow-run' },
      { id: `rxflow.task-run.${ids.get('outer-run')}`, role: 'parent' },
      { id: 'rxflow.task.inner', role: 'task', name: 'inner' },
      { id: 'rxflow.tag.db', role: 'tag' },
    ]);
    const flowPending = events.seen[0]!;
    expect(flowPending.related).toEqual([{ id: 'rxflow.flow.main', role: 'flow', name: 'main' }]);
  });

  it('should label the related task or flow with its version and description when it has them', async () => {
    const load = task({ name: 'load', version: '2.0.1', description: 'Loads rows' }, () => 1);
    const etl = flow({ name: 'etl', version: 'abc123' }, () => load());
    const events = record<RxflowEvent>(events$);
    await etl();
    events.stop();
    const definitions = events.seen.map((e) => e.related.find((r) => r.role === 'task' || r.role === 'flow'));
    expect(definitions[0]).toEqual({ id: 'rxflow.flow.etl', role: 'flow', name: 'etl', version: 'abc123' });
    expect(definitions.find((r) => r?.role === 'task')).toEqual({
      id: 'rxflow.task.load',
      role: 'task',
      name: 'load',
      version: '2.0.1',
      description: 'Loads rows',
    });
  });

  it('should build transition events only while events$ has subscribers', async () => {
    expect(stateBus.observed).toBe(false);
    const first = events$.subscribe();
    const second = events$.subscribe();
    expect(stateBus.observed).toBe(true);
    first.unsubscribe();
    expect(stateBus.observed).toBe(true);
    second.unsubscribe();
    expect(stateBus.observed).toBe(false);
  });
});

describe('emitEvent', () => {
  isolateObservability();

  it('should emit and return a frozen event stamped by the engine clock', async () => {
    const events = record<RxflowEvent>(events$);
    const out = await withVirtualTime(
      async () =>
        emitEvent({
          event: 'acme.table.refreshed',
          resource: { id: 'acme.table.sales', name: 'sales' },
          payload: { rows: 1204 },
          related: [{ id: 'acme.db.main', role: 'database' }],
        }),
      { start: Date.UTC(2025, 5, 1) },
    );
    events.stop();
    expect(events.seen).toEqual([out]);
    expect(out).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      occurred: new Date(Date.UTC(2025, 5, 1)),
      event: 'acme.table.refreshed',
      resource: { id: 'acme.table.sales', name: 'sales' },
      related: [{ id: 'acme.db.main', role: 'database' }],
      payload: { rows: 1204 },
    });
    expect(Object.isFrozen(out) && Object.isFrozen(out.resource) && Object.isFrozen(out.payload)).toBe(true);
  });

  it('should relate the current task run and its flow run, unless already related', async () => {
    const t = task({ name: 'notify', taskRunName: 'notify-run' }, () => [
      emitEvent({ event: 'acme.sent', resource: { id: 'acme.mail.1' } }),
      emitEvent({
        event: 'acme.sent',
        resource: { id: 'acme.mail.2' },
        related: [{ id: `rxflow.flow-run.x`, role: 'custom' }],
      }),
    ]);
    const f = flow({ name: 'mailer', flowRunName: 'mailer-run' }, () => t());
    const transitions = record<RunStateEvent>(runStates$);
    const [one, two] = await f();
    transitions.stop();
    const ids = new Map(transitions.seen.map(({ run }) => [run.name, run.id]));
    expect(one!.related).toEqual([
      { id: `rxflow.task-run.${ids.get('notify-run')}`, role: 'task-run', name: 'notify-run' },
      { id: `rxflow.flow-run.${ids.get('mailer-run')}`, role: 'flow-run', name: 'mailer-run' },
    ]);
    expect(two!.related.map((r) => r.role)).toEqual(['custom', 'task-run', 'flow-run']);
  });

  it('should reject a malformed event with every problem listed', () => {
    let error: unknown;
    try {
      emitEvent({
        event: '',
        resource: { id: '', rows: 3 as unknown as string },
        related: [{ id: 'acme.db' }],
        extra: true,
      } as never);
    } catch (e) {
      error = e;
    }
    expect(isEventValidationError(error)).toBe(true);
    expect((error as Error).message).toMatchInlineSnapshot(`
"emitEvent: invalid event:
  - event: expected a non-empty event name
  - resource.id: expected a non-empty resource id
  - resource.rows: expected every label to be a string
  - related[0].role: expected a role for a related resource
  - unknown key 'extra'"
`);
  });
});
