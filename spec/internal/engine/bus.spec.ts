import { config, filter, map, type Observable } from 'rxjs';
import { artifacts$ } from '../../../lib/artifacts/artifact-bus';
import { createMarkdownArtifact } from '../../../lib/artifacts/create-markdown-artifact';
import { getClient } from '../../../lib/client/get-client';
import { emitEvent, events$ } from '../../../lib/events/events';
import { flow } from '../../../lib/flow/flow';
import { runStates$ } from '../../../lib/internal/engine/bus';
import { setErrorReporter } from '../../../lib/internal/report';
import { configureLogging } from '../../../lib/logging/logging-config';
import { getRunLogger } from '../../../lib/logging/get-run-logger';
import { runLogs$ } from '../../../lib/logging/run-logs';
import { task } from '../../../lib/task/task';

const streams: [string, Observable<unknown>][] = [
  ['runStates$', runStates$],
  ['runLogs$', runLogs$],
  ['events$', events$],
  ['artifacts$', artifacts$],
];

/** A flow whose task writes to every stream: states, a log record, an event, an artifact. */
const busy = flow({ name: 'busy', flowRunName: 'busy' }, async () => {
  const step = task({ name: 'step', taskRunName: 'step' }, async () => {
    getRunLogger().info('working');
    emitEvent({ event: 'acme.step.done', resource: { id: 'acme.step' } });
    await createMarkdownArtifact('# done');
    return 42;
  });
  return step();
});

/**
 * Runs `busy` while `subscribe` has subscribers on the streams, and records what RxJS would have
 * thrown as an uncaught exception (`config.onUnhandledError`: without it, RxJS rethrows on a
 * timer, which ends a Node process) and what rxflow reported.
 */
async function runWith(subscribe: () => { unsubscribe(): void }[]) {
  const unhandled: unknown[] = [];
  const reported: string[] = [];
  const previous = config.onUnhandledError;
  config.onUnhandledError = (error) => unhandled.push(error);
  const restore = setErrorReporter((message) => reported.push(message));
  const subscriptions = subscribe();
  try {
    const result = await busy();
    // RxJS reports unhandled errors on a 0 ms timer: let any of them run before looking.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { result, unhandled, reported };
  } finally {
    for (const s of subscriptions) s.unsubscribe();
    restore();
    config.onUnhandledError = previous;
  }
}

describe('runStates$, runLogs$, events$ and artifacts$', () => {
  let restoreLogging: () => void;
  beforeAll(() => (restoreLogging = configureLogging({ sinks: [] })));
  afterAll(() => restoreLogging());

  it('should report a subscriber that throws on any of them, never rethrow it, and still let the run end', async () => {
    const seen = new Map<string, number>();
    const { result, unhandled, reported } = await runWith(() =>
      streams.flatMap(([name, stream]) => [
        stream.subscribe(() => {
          throw new Error(`${name} subscriber broke`);
        }),
        stream.subscribe(() => seen.set(name, (seen.get(name) ?? 0) + 1)),
      ]),
    );
    expect(result).toBe(42);
    expect(unhandled).toEqual([]);
    // Every value reached the subscriber that did not throw: 6 states, 1 record, 6 + 1 events, 1 artifact.
    expect(Object.fromEntries(seen)).toEqual({ runStates$: 6, runLogs$: 1, events$: 7, artifacts$: 1 });
    expect(new Set(reported)).toEqual(
      new Set(
        streams.map(([name]) => `a ${name} subscriber threw; runs and other subscribers are unaffected`),
      ),
    );
    expect(reported).toHaveLength(6 + 1 + 7 + 1);
    const [run] = await getClient().readFlowRuns({ name: 'busy', limit: 1 });
    expect(run!.state.name).toBe('Completed');
  });

  it('should report a pipeline of theirs that fails with no error callback, and end only that pipeline', async () => {
    const counted: string[] = [];
    const { result, unhandled, reported } = await runWith(() =>
      streams.flatMap(([name, stream]) => [
        stream
          .pipe(
            filter(() => true),
            map(() => {
              throw new Error(`${name} pipeline broke`);
            }),
          )
          .subscribe(),
        stream.subscribe(() => counted.push(name)),
      ]),
    );
    expect(result).toBe(42);
    expect(unhandled).toEqual([]);
    expect(reported.sort()).toEqual(
      streams
        .map(
          ([name]) =>
            `a pipeline on ${name} failed and its subscriber has no error callback; runs and other subscribers are unaffected`,
        )
        .sort(),
    );
    expect(counted.filter((name) => name === 'runStates$')).toHaveLength(6);
  });
});
