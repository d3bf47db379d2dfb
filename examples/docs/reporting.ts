/**
 * The code of the "OpenTelemetry" and "Console reporter" sections of docs/observability.md:
 * runs as spans (with an in-memory exporter, so the spans can be printed), and the console
 * reporter's line mode, with a fan-out shown as progress lines.
 *
 * Run it with `npx tsx examples/docs/reporting.ts`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout } from 'node:timers/promises';
import {
  context,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type ContextManager,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { flow, task } from '../../lib/index.node.js';
import { consoleReporter } from '../../lib/node/index.js';
import { instrumentRuns, SPAN_ATTRIBUTES } from '../../lib/opentelemetry/index.js';
import { sleep, withVirtualTime } from '../../lib/testing/index.node.js';
import { runSections } from './sections.js';

// The Node SDK (@opentelemetry/sdk-node) registers a context manager like this one; with
// sdk-trace-base alone, an app registers its own. It lets the active span follow `await`.
class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active = (): Context => this.storage.getStore() ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable = (): this => this;
  disable = (): this => this;
}
context.setGlobalContextManager(new AsyncLocalContextManager());

/** Prints finished spans as a tree: name, final state, events. */
function printTree(spans: readonly ReadableSpan[], parentId?: string, depth = 0): void {
  for (const span of spans.filter((s) => s.parentSpanContext?.spanId === parentId)) {
    const state = span.attributes[SPAN_ATTRIBUTES.stateName] ?? '';
    const events = span.events.length === 0 ? '' : `[${span.events.map((e) => e.name).join(' → ')}]`;
    console.log(`${'  '.repeat(depth)}${span.name} ${state} ${events}`.trimEnd());
    printTree(spans, span.spanContext().spanId, depth + 1);
  }
}

async function openTelemetrySection(): Promise<void> {
  // #region opentelemetry
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider); // what an SDK's start() does

  const instrumentation = instrumentRuns(); // from now on, every run is a span

  const tracer = trace.getTracer('orders-client');
  let calls = 0;
  const fetchOrders = task(
    { name: 'fetch-orders', taskRunName: 'fetch-orders', retries: 2, retryDelaySeconds: 0.01 },
    async () => {
      // A span of your own, started in the body, is a child of the task run's span.
      await tracer.startActiveSpan('GET /orders', async (span) => {
        await setTimeout(5);
        span.end();
      });
      if (++calls === 1) throw new Error('503 Service Unavailable');
      return [12.5, 49.99];
    },
  );
  const total = task({ name: 'total', taskRunName: 'total' }, (amounts: number[]) =>
    amounts.reduce((a, b) => a + b, 0),
  );
  const report = flow({ name: 'report', flowRunName: 'report' }, async () => total(await fetchOrders()));

  console.log(await report()); // 62.49
  printTree(exporter.getFinishedSpans());
  // report Completed [Pending → Running → Completed]
  //   fetch-orders Completed [Pending → Running → AwaitingRetry → Retrying → Completed]
  //     GET /orders
  //     GET /orders
  //   total Completed [Pending → Running → Completed]
  // #endregion opentelemetry

  // #region opentelemetry-2
  // Span times are the states' times, from the engine clock: virtual under withVirtualTime.
  exporter.reset();
  const slowQuery = task({ name: 'slow-query', taskRunName: 'slow-query', timeoutSeconds: 30 }, () =>
    sleep(3_600_000),
  );
  await withVirtualTime(() => slowQuery().catch(() => 'timed out'));
  const [span] = exporter.getFinishedSpans();
  console.log(span!.duration[0], span!.status.code === SpanStatusCode.ERROR, span!.status.message);
  // 30 true Task 'slow-query' exceeded its timeout of 30s

  instrumentation.unsubscribe(); // stops tracing; spans of runs still going end, marked incomplete
  await provider.shutdown();
  trace.disable();
  // #endregion opentelemetry-2
}

async function consoleReporterSection(): Promise<void> {
  const thumbnail = task({ name: 'thumbnail', retries: 1 }, async (id: number) => {
    await sleep(100 * (id % 5));
    if (id === 13) throw new Error(`image ${id} is corrupt`);
    return `thumbs/${id}.jpg`;
  });
  const publish = task(
    { name: 'publish', taskRunName: 'publish' },
    (album: string, urls: string[]) => `${urls.length} thumbnails in ${album}`,
  );
  const album = flow({ name: 'album', flowRunName: 'album-{name}' }, async (name: string) => {
    const states = await thumbnail.map(Array.from({ length: 40 }, (_, i) => i)).wait();
    return publish(
      name,
      states.flatMap((s) => (s.type === 'COMPLETED' ? [s.data as string] : [])),
    );
  });

  // #region console-reporter
  await withVirtualTime(async () => {
    // A line per state change here (stdout is a pipe when this runs as a test); a live tree with
    // a progress bar for the fan-out in a terminal.
    const reporter = consoleReporter();
    try {
      await album('holidays');
    } finally {
      reporter.stop();
    }
  });
  // #endregion console-reporter
}

runSections([
  ['OpenTelemetry', openTelemetrySection],
  ['console reporter', consoleReporterSection],
]);
