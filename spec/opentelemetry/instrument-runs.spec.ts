import { SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { flow, getRunContext, runStates$, setErrorReporter, task, TimeoutError } from '../../lib/index.node';
import { wrapBody } from '../../lib/internal/engine/body-wrapper';
import { instrumentRuns, SPAN_ATTRIBUTES as A, type RunInstrumentation } from '../../lib/opentelemetry/index';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';
import { createTracing, idOf, ms, parentOf, useContextManager, type Tracing } from './support';

let tracing: Tracing;
let instrumentation: RunInstrumentation | undefined;
let disableContext: () => void;

beforeAll(() => {
  disableContext = useContextManager();
});
afterAll(() => disableContext());

beforeEach(() => {
  tracing = createTracing();
});
afterEach(async () => {
  instrumentation?.unsubscribe();
  instrumentation = undefined;
  await tracing.provider.shutdown();
});

function instrument(options: Parameters<typeof instrumentRuns>[0] = {}): RunInstrumentation {
  instrumentation = instrumentRuns({ tracerProvider: tracing.provider, ...options });
  return instrumentation;
}

describe('instrumentRuns', () => {
  it('should make flow → task → subflow → task a tree of spans, parent to child', async () => {
    instrument();
    const leaf = task({ name: 'leaf', taskRunName: 'leaf-{n}' }, (n: number) => n * 2);
    const inner = flow({ name: 'inner', flowRunName: 'inner' }, async () => leaf(2));
    const step = task({ name: 'step', taskRunName: 'step' }, (n: number) => n + 1);
    const outer = flow(
      { name: 'outer', flowRunName: 'outer' },
      async () => (await step(1)) + (await inner()),
    );
    const nested = task({ name: 'nested', taskRunName: 'nested' }, async () => leaf(3));
    const top = flow({ name: 'top', flowRunName: 'top' }, async () => (await outer()) + (await nested()));

    await expect(top()).resolves.toBe(12);

    const { span } = tracing;
    expect(parentOf(span('top'))).toBeUndefined();
    expect(parentOf(span('outer'))).toBe(idOf(span('top')));
    expect(parentOf(span('step'))).toBe(idOf(span('outer')));
    expect(parentOf(span('inner'))).toBe(idOf(span('outer')));
    expect(parentOf(span('leaf-2'))).toBe(idOf(span('inner')));
    // A task started inside a task's body: its parent is that task run.
    expect(parentOf(span('nested'))).toBe(idOf(span('top')));
    expect(parentOf(span('leaf-3'))).toBe(idOf(span('nested')));
    const traceIds = new Set(tracing.spans().map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
  });

  it("should set the task's or flow's version and description as attributes when it has them", async () => {
    instrument();
    const load = task(
      { name: 'load', taskRunName: 'load', version: '2.0.1', description: 'Loads rows' },
      () => 1,
    );
    const etl = flow({ name: 'etl', flowRunName: 'etl', version: 'abc123' }, () => load());
    const bare = task({ name: 'bare', taskRunName: 'bare' }, () => 1);
    await etl();
    await bare();
    expect(tracing.span('etl').attributes).toMatchObject({ [A.flowVersion]: 'abc123' });
    expect(tracing.span('etl').attributes[A.flowDescription]).toBeUndefined();
    expect(tracing.span('load').attributes).toMatchObject({
      [A.taskVersion]: '2.0.1',
      [A.taskDescription]: 'Loads rows',
    });
    const attributes = Object.keys(tracing.span('bare').attributes);
    expect(attributes.filter((k) => k.endsWith('.version') || k.endsWith('.description'))).toEqual([]);
  });

  it("should set the run's identity, tags and parameter types as attributes", async () => {
    instrument();
    const load = task(
      { name: 'load', taskRunName: 'load-{table}', tags: ['db'] },
      (table: string, rows: number[]) => rows.length + table.length,
    );
    const etl = flow({ name: 'etl', flowRunName: 'etl-{day}' }, async (day: Date) => {
      const ctx = getRunContext();
      ids.flow = ctx.flowRun!.id;
      return load('sales', [day.getTime()]);
    });
    const ids: { flow?: string } = {};

    await etl(new Date(0));

    const flowSpan = tracing.span('etl-1970-01-01T00:00:00.000Z');
    const taskSpan = tracing.span('load-sales');
    expect(flowSpan.attributes).toEqual({
      [A.runId]: ids.flow,
      [A.runName]: 'etl-1970-01-01T00:00:00.000Z',
      [A.runKind]: 'flow',
      [A.flowName]: 'etl',
      [A.tags]: [],
      [`${A.parameterPrefix}day`]: 'Date',
      [A.stateType]: 'COMPLETED',
      [A.stateName]: 'Completed',
      [A.runCount]: 1,
      [A.retries]: 0,
    });
    expect(taskSpan.attributes).toEqual({
      [A.runId]: expect.any(String),
      [A.runName]: 'load-sales',
      [A.runKind]: 'task',
      [A.taskName]: 'load',
      [A.tags]: ['db'],
      [A.parentRunId]: ids.flow,
      [A.flowRunId]: ids.flow,
      [`${A.parameterPrefix}table`]: 'string',
      [`${A.parameterPrefix}rows`]: 'Array',
      [A.stateType]: 'COMPLETED',
      [A.stateName]: 'Completed',
      [A.runCount]: 1,
      [A.retries]: 0,
    });
    expect(taskSpan.status.code).toBe(SpanStatusCode.UNSET);
    expect(taskSpan.events.map((e) => e.name)).toEqual(['Pending', 'Running', 'Completed']);
    expect(taskSpan.instrumentationScope.name).toBe('rxflow');
  });

  it('should record retries as span events, timed by the virtual clock', async () => {
    instrument();
    let calls = 0;
    const fetchPage = task(
      { name: 'fetch', taskRunName: 'fetch', retries: 3, retryDelaySeconds: [60, 3600] },
      async () => {
        await sleep(1000);
        if (++calls < 3) throw new Error(`503 (call ${calls})`);
        return 'page';
      },
    );

    await withVirtualTime(() => fetchPage(), { start: 0 });

    const span = tracing.span('fetch');
    expect(span.events.map((e) => [e.name, ms(e.time)])).toEqual([
      ['Pending', 0],
      ['Running', 0],
      ['AwaitingRetry', 1_000],
      ['Retrying', 61_000],
      ['AwaitingRetry', 62_000],
      ['Retrying', 3_662_000],
      ['Completed', 3_663_000],
    ]);
    expect(ms(span.startTime)).toBe(0);
    expect(ms(span.endTime)).toBe(3_663_000);
    expect(ms(span.duration)).toBe(3_663_000);
    const [, , awaiting, retrying] = span.events;
    expect(awaiting!.attributes).toEqual({
      [A.stateType]: 'SCHEDULED',
      [A.stateMessage]: 'Retry 1/3 will start 60s from now, after: Error: 503 (call 1)',
      [A.scheduledTime]: '1970-01-01T00:01:01.000Z',
    });
    expect(retrying!.attributes).toEqual({ [A.stateType]: 'RUNNING', [A.runCount]: 2 });
    expect(span.attributes[A.runCount]).toBe(3);
    expect(span.attributes[A.retries]).toBe(2);
  });

  it('should set status ERROR and record the exception of a Failed, TimedOut or Crashed run', async () => {
    instrument();
    const broken = task({ name: 'broken', taskRunName: 'broken' }, () => {
      throw new RangeError('bad input');
    });
    const slow = task({ name: 'slow', taskRunName: 'slow', timeoutSeconds: 5 }, () => sleep(60_000));
    await withVirtualTime(async () => {
      await expect(broken()).rejects.toThrow('bad input');
      await expect(slow()).rejects.toBeInstanceOf(TimeoutError);
    });

    const failed = tracing.span('broken');
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'RangeError: bad input' });
    expect(failed.attributes[A.stateType]).toBe('FAILED');
    const exception = failed.events.find((e) => e.name === 'exception')!;
    expect(exception.attributes).toMatchObject({
      'exception.type': 'RangeError',
      'exception.message': 'bad input',
    });
    expect(exception.attributes!['exception.stacktrace']).toContain('RangeError: bad input');

    const timedOut = tracing.span('slow');
    expect(timedOut.status.code).toBe(SpanStatusCode.ERROR);
    expect(timedOut.attributes[A.stateName]).toBe('TimedOut');
    expect(ms(timedOut.duration)).toBe(5000);
    expect(timedOut.events.find((e) => e.name === 'exception')!.attributes).toMatchObject({
      'exception.type': 'TimeoutError',
    });
  });

  it('should leave the status unset for a cancelled run, and end the spans of every run', async () => {
    const instrumentation = instrument();
    const child = task({ name: 'child', taskRunName: 'child' }, () => sleep(60_000));
    const parent = flow({ name: 'parent', flowRunName: 'parent', timeoutSeconds: 10 }, () => child());

    await withVirtualTime(() => expect(parent()).rejects.toBeInstanceOf(TimeoutError));

    expect(tracing.span('child').attributes[A.stateType]).toBe('CANCELLED');
    expect(tracing.span('child').status.code).toBe(SpanStatusCode.UNSET);
    expect(ms(tracing.span('child').duration)).toBe(10_000);
    expect(tracing.span('parent').status.code).toBe(SpanStatusCode.ERROR);
    expect(instrumentation.activeSpans).toBe(0);
  });

  it("should make a run's span the active context in its body, across awaits", async () => {
    instrument();
    const tracer = trace.getTracer('user-code', '1.0.0');
    const call = (what: string) => tracer.startActiveSpan(what, (span) => span.end());
    const fetchUser = task({ name: 'fetch-user', taskRunName: 'fetch-user' }, async () => {
      call('GET /user (before await)');
      await sleep(10);
      call('GET /user (after await)');
    });
    const job = flow({ name: 'job', flowRunName: 'job' }, async () => {
      call('flow body');
      await fetchUser();
    });
    // Register the SDK provider globally for user code, as an app would.
    trace.setGlobalTracerProvider(tracing.provider);
    try {
      await withVirtualTime(() => job());
    } finally {
      trace.disable();
    }

    const { span } = tracing;
    expect(parentOf(span('GET /user (before await)'))).toBe(idOf(span('fetch-user')));
    expect(parentOf(span('GET /user (after await)'))).toBe(idOf(span('fetch-user')));
    expect(parentOf(span('flow body'))).toBe(idOf(span('job')));
  });

  it('should keep the spans of concurrent flow runs apart', async () => {
    instrument();
    const step = task({ name: 'step', taskRunName: 'step-{label}' }, async (label: string) => {
      await sleep(label === 'a' ? 20 : 10);
      return label;
    });
    const job = flow({ name: 'job', flowRunName: 'job-{label}' }, async (label: string) => {
      await sleep(label === 'a' ? 5 : 15);
      return step(label);
    });
    await withVirtualTime(() => Promise.all([job('a'), job('b')]));
    for (const label of ['a', 'b']) {
      expect(parentOf(tracing.span(`step-${label}`))).toBe(idOf(tracing.span(`job-${label}`)));
      expect(parentOf(tracing.span(`job-${label}`))).toBeUndefined();
    }
  });

  it('should nest a root run under the span active where it is called', async () => {
    instrument();
    const handle = task({ name: 'handle', taskRunName: 'handle' }, () => 'ok');
    const tracer = tracing.provider.getTracer('http-server');
    await tracer.startActiveSpan('POST /orders', async (request) => {
      await handle();
      request.end();
    });
    expect(parentOf(tracing.span('handle'))).toBe(idOf(tracing.span('POST /orders')));
  });

  it('should not change the active context with activeContext: false', async () => {
    instrument({ activeContext: false });
    expect(wrapBody).toBeUndefined();
    const seen: boolean[] = [];
    const step = task({ name: 'step', taskRunName: 'step' }, () => {
      seen.push(trace.getActiveSpan() !== undefined);
    });
    await step();
    expect(seen).toEqual([false]);
    expect(tracing.spans().map((s) => s.name)).toEqual(['step']);
  });

  it('should stop at unsubscribe: no new spans, no wrapper, open spans ended as incomplete', async () => {
    const instrumentation = instrument();
    expect(wrapBody).toBeDefined();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const waiting = task({ name: 'waiting', taskRunName: 'waiting' }, () => gate);
    const done = waiting();
    await Promise.resolve();
    expect(instrumentation.activeSpans).toBe(1);

    instrumentation.unsubscribe();
    instrumentation.unsubscribe(); // idempotent
    expect(instrumentation.closed).toBe(true);
    expect(wrapBody).toBeUndefined();
    expect(instrumentation.activeSpans).toBe(0);
    const cut = tracing.span('waiting');
    expect(cut.attributes).toMatchObject({ [A.incomplete]: true, [A.stateName]: 'Running' });

    release();
    await done;
    const later = task({ name: 'later', taskRunName: 'later' }, () => 1);
    await later();
    expect(tracing.spans().map((s) => s.name)).toEqual(['waiting']);
    expect(runStates$).toBeDefined();
  });

  it('should forget the span of every finished run: completed, failed, not ready, mapped', async () => {
    const instrumentation = instrument();
    const double = task({ name: 'double' }, (n: number) => {
      if (n === 13) throw new Error('unlucky');
      return n * 2;
    });
    const after = task({ name: 'after' }, (n: number) => n);
    const fan = flow({ name: 'fan', flowRunName: 'fan' }, async () => {
      const doubled = double.map(Array.from({ length: 200 }, (_, i) => i));
      const next = after.submit(doubled[13]!); // never runs: its upstream failed
      await doubled.wait();
      await next.wait();
      expect(instrumentation.activeSpans).toBe(1); // the flow's own span
      return 'done';
    });

    await fan();

    expect(instrumentation.activeSpans).toBe(0);
    const spans = tracing.spans();
    expect(spans).toHaveLength(202);
    const notReady = spans.find((s) => s.attributes[A.taskName] === 'after')!;
    expect(notReady.attributes[A.stateName]).toBe('NotReady');
    expect(notReady.attributes[A.upstreamRunIds]).toEqual([expect.any(String)]);
    expect(spans.every((s) => s.ended)).toBe(true);
  });

  it('should be a no-op without an SDK', async () => {
    const instrumentation = instrumentRuns();
    const seen: boolean[] = [];
    const step = task({ name: 'step' }, () => seen.push(trace.getActiveSpan()?.isRecording() ?? false));
    await expect(step()).resolves.toBe(1);
    instrumentation.unsubscribe();
    expect(seen).toEqual([false]);
  });

  it('should name spans with spanName and add attributes, reporting an option that throws', async () => {
    const reported: string[] = [];
    const restore = setErrorReporter((message) => reported.push(message));
    try {
      instrument({
        spanName: (run) => `${run.kind} ${run.definitionName}`,
        attributes: (run) => {
          if (run.name === 'b') throw new Error('no');
          return { 'app.table': String(run.parameters['table']) };
        },
        parameterTypes: false,
      });
      const load = task({ name: 'load', taskRunName: '{table}' }, (table: string) => table);
      await load('a');
      await load('b');
    } finally {
      restore();
    }
    const [a, b] = tracing.spans();
    expect(a!.name).toBe('task load');
    expect(a!.attributes['app.table']).toBe('a');
    expect(a!.attributes[`${A.parameterPrefix}table`]).toBeUndefined();
    expect(b!.attributes['app.table']).toBeUndefined();
    expect(reported).toEqual(["rxflow/opentelemetry: the attributes option threw for run 'b'; ignored"]);
  });

  it('should report a tracer that throws and leave the runs alone', async () => {
    const reported: string[] = [];
    const restore = setErrorReporter((message) => reported.push(message));
    const tracer = tracing.provider.getTracer('x');
    const instrumentation = instrumentRuns({
      tracerProvider: {
        getTracer: () =>
          ({
            startSpan: () => {
              throw new Error('exporter down');
            },
            startActiveSpan: tracer.startActiveSpan.bind(tracer),
          }) as unknown as Tracer,
      },
    });
    try {
      const step = task({ name: 'step', taskRunName: 'step' }, () => 'fine');
      await expect(step()).resolves.toBe('fine');
    } finally {
      instrumentation.unsubscribe();
      restore();
    }
    expect(reported).toEqual([
      "rxflow/opentelemetry: recording state 'Pending' of run 'step' failed",
      "rxflow/opentelemetry: recording state 'Running' of run 'step' failed",
      "rxflow/opentelemetry: recording state 'Completed' of run 'step' failed",
    ]);
    expect(instrumentation.activeSpans).toBe(0);
  });

  it('should reject bad options with a message naming the option', () => {
    const bad = (options: unknown) => () => instrumentRuns(options as never);
    expect(bad({ tracerProvider: {} })).toThrowErrorMatchingInlineSnapshot(
      `"instrumentRuns: expected option 'tracerProvider' to be a TracerProvider (an object with getTracer), got an object"`,
    );
    expect(bad({ activeContext: 'yes' })).toThrowErrorMatchingInlineSnapshot(
      `"instrumentRuns: expected option 'activeContext' to be a boolean, got 'yes'"`,
    );
    expect(bad({ spanName: 'run' })).toThrowErrorMatchingInlineSnapshot(
      `"instrumentRuns: expected option 'spanName' to be a function, got 'run'"`,
    );
    expect(bad({ tracer: {} })).toThrowErrorMatchingInlineSnapshot(
      `"instrumentRuns: unknown option 'tracer' (known: tracerProvider, activeContext, spanName, attributes, parameterTypes)"`,
    );
    expect(bad(null)).toThrowErrorMatchingInlineSnapshot(
      `"instrumentRuns: expected an options object, got null"`,
    );
    expect(wrapBody).toBeUndefined();
  });
});
