// Two copies of rxflow in one process (its ESM and CommonJS builds, say) run one engine: every
// piece of process-wide state is shared through a Symbol.for registry on globalThis.
// (spec/package/package.spec.ts checks it with the packed ESM and CommonJS builds.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as first from '../../lib/index.node';
import { RXFLOW_VERSION, shared } from '../../lib/internal/shared';

type Rxflow = typeof first;

/** A second, separately loaded copy of the library, as a dual-package hazard makes one. */
function loadCopy<T>(path: string): T {
  let copy!: T;
  jest.isolateModules(() => {
    copy = require(path) as T;
  });
  return copy;
}

const second = loadCopy<Rxflow>('../../lib/index.node');

describe('shared', () => {
  it('should be keyed by the package version', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(RXFLOW_VERSION).toBe(pkg.version);
    const registry = (globalThis as Record<symbol, unknown>)[Symbol.for(`rxflow.shared@${pkg.version}`)];
    expect(registry).toBeInstanceOf(Map);
    expect(Object.keys(globalThis)).not.toContain(String(Symbol.for(`rxflow.shared@${pkg.version}`)));
  });

  it('should create a value once and hand the same one to every later caller', () => {
    const create = jest.fn(() => ({ n: 1 }));
    const a = shared('spec.once', create);
    const b = shared('spec.once', create);
    const c = loadCopy<typeof import('../../lib/internal/shared')>('../../lib/internal/shared').shared(
      'spec.once',
      create,
    );
    expect(second).not.toBe(first);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(create).toHaveBeenCalledTimes(1);
  });
});

describe('two copies of rxflow in one process', () => {
  it('should show the runs of either copy on runStates$ of both, and in getClient() of both', async () => {
    const seen: { by: string; name: string; state: string }[] = [];
    const a = first.runStates$.subscribe(({ run, state }) =>
      seen.push({ by: 'first', name: run.name, state: state.name }),
    );
    const b = second.runStates$.subscribe(({ run, state }) =>
      seen.push({ by: 'second', name: run.name, state: state.name }),
    );
    await first.task({ taskRunName: 'from-first', tags: ['spec-client'] }, () => 1)();
    await second.task({ taskRunName: 'from-second', tags: ['spec-client'] }, () => 2)();
    a.unsubscribe();
    b.unsubscribe();
    const completed = seen.filter((e) => e.state === 'Completed').map((e) => `${e.by} saw ${e.name}`);
    expect(completed.sort()).toEqual([
      'first saw from-first',
      'first saw from-second',
      'second saw from-first',
      'second saw from-second',
    ]);
    const names = async (copy: Rxflow) =>
      (await copy.getClient().readTaskRuns({ tags: ['spec-client'] })).map((r) => r.name).sort();
    expect(await names(first)).toEqual(['from-first', 'from-second']);
    expect(await names(second)).toEqual(['from-first', 'from-second']);
  });

  it('should link a task of one copy called in a flow of the other to that flow', async () => {
    const child = second.task({ name: 'child' }, async () => {
      await null;
      return second.getRunContext().taskRun!.flowRunId;
    });
    const parent = first.flow({ name: 'parent' }, async () => {
      await null;
      return { own: first.getRunContext().flowRun!.id, child: await child() };
    });
    const out = await parent();
    expect(out.child).toBe(out.own);
  });

  it('should hold the runs of either copy to a tag limit set through one', async () => {
    first.setTagConcurrencyLimit('spec-shared', 1);
    try {
      let running = 0;
      let most = 0;
      const body = async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
      };
      await Promise.all([
        first.task({ tags: ['spec-shared'] }, body)(),
        second.task({ tags: ['spec-shared'] }, body)(),
        second.task({ tags: ['spec-shared'] }, body)(),
      ]);
      expect(most).toBe(1);
    } finally {
      second.setTagConcurrencyLimit('spec-shared', null);
    }
  });

  it('should share named limits, the error reporter, the default clock and run ids', async () => {
    first.createConcurrencyLimit('spec-shared-limit', { limit: 3 });
    expect(second.getConcurrencyLimit('spec-shared-limit')?.limit).toBe(3);
    second.deleteConcurrencyLimit('spec-shared-limit');
    expect(first.getConcurrencyLimit('spec-shared-limit')).toBeUndefined();

    const reports: string[] = [];
    const restore = second.setErrorReporter((message) => reports.push(message));
    await first.task({ onCompletion: [() => Promise.reject(new Error('hook'))] }, () => 1)();
    restore();
    expect(reports).toHaveLength(1);

    const random = () => 0;
    const restoreClock = first.configureClock({ random });
    try {
      expect(await second.flow(() => second.getRunContext().flowRun!.name)()).toBe('amber-otter');
    } finally {
      restoreClock();
    }

    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const copy = i % 2 === 0 ? first : second;
      await copy.task(() => ids.add(copy.getRunContext().taskRun!.id.slice(-6)))();
    }
    expect(ids.size).toBe(50);
  });
});
