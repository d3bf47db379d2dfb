/**
 * @internal The real event loop, as seen by the virtual-time driver: one macrotask turn at a
 * time (every microtask and `process.nextTick` queued before it has run by then), and, on Node,
 * whether real I/O or real timers are still in flight, so virtual time does not jump ahead of
 * a file write or a local HTTP call that takes a few real milliseconds.
 */

interface ProcessLike {
  getActiveResourcesInfo?: () => string[];
}

const proc = (globalThis as { process?: ProcessLike }).process;
const activeResources =
  typeof proc?.getActiveResourcesInfo === 'function' ? () => proc.getActiveResourcesInfo!() : undefined;

// Turns of every driver in the process that are waiting right now: their own `Immediate`s are
// not somebody's real work.
let pendingTurns = 0;

type Schedule = (callback: () => void) => void;

// The platform's timer functions as they are when this module loads, before a test installs
// fake timers (`jest.useFakeTimers()`, `vi.useFakeTimers()`): those replace the globals, and a
// faked macrotask never fires unless the test advances it, which would stall every driver.
const realSetImmediate = globalThis.setImmediate;
const RealMessageChannel = globalThis.MessageChannel;
const realSetTimeout = globalThis.setTimeout;
const realPerformance = globalThis.performance;
const realPerformanceNow =
  typeof realPerformance?.now === 'function' ? realPerformance.now.bind(realPerformance) : undefined;
const realDateNow = Date.now;

/**
 * Whether `fn` is a fake timer function: @sinonjs/fake-timers (jest's modern fake timers,
 * vitest's) tags each with its `clock`, and jest's legacy ones are jest mock functions.
 */
function isFake(fn: unknown): boolean {
  return (
    typeof fn === 'function' &&
    ('clock' in fn || (fn as { _isMockFunction?: unknown })._isMockFunction === true)
  );
}

const viaImmediate =
  (setImmediate: typeof globalThis.setImmediate): Schedule =>
  (callback) =>
    void setImmediate(callback);

const viaMessageChannel =
  (Channel: typeof globalThis.MessageChannel): Schedule =>
  (callback) => {
    // Unlike setTimeout(0), a message is not clamped to 4 ms after a few nested turns.
    const channel = new Channel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      callback();
    };
    channel.port2.postMessage(undefined);
  };

const viaTimeout =
  (setTimeout: typeof globalThis.setTimeout): Schedule =>
  (callback) =>
    void setTimeout(callback, 0);

/** The first available way to wait for a macrotask turn: setImmediate, MessageChannel, setTimeout. */
function pickSchedule(
  setImmediate: unknown,
  Channel: unknown,
  setTimeout: unknown,
): { schedule: Schedule; fake: boolean } | undefined {
  if (typeof setImmediate === 'function') {
    return {
      schedule: viaImmediate(setImmediate as typeof globalThis.setImmediate),
      fake: isFake(setImmediate),
    };
  }
  if (typeof Channel === 'function') {
    return {
      schedule: viaMessageChannel(Channel as typeof globalThis.MessageChannel),
      fake: isFake(Channel),
    };
  }
  if (typeof setTimeout === 'function') {
    return { schedule: viaTimeout(setTimeout as typeof globalThis.setTimeout), fake: isFake(setTimeout) };
  }
  return undefined;
}

const atLoad = pickSchedule(realSetImmediate, RealMessageChannel, realSetTimeout);

/**
 * @internal How the driver waits for one real macrotask turn: with the timer functions captured
 * when this module loaded, so fake timers installed later do not stall it. If those were fakes
 * already (fake timers installed before `rxflow/testing` was first imported), the current
 * globals are used when real again, else it throws: a faked turn would never come.
 */
export function realTurnScheduler(): Schedule {
  if (atLoad !== undefined && !atLoad.fake) return atLoad.schedule;
  const g = globalThis as { setImmediate?: unknown; MessageChannel?: unknown; setTimeout?: unknown };
  const now = pickSchedule(g.setImmediate, g.MessageChannel, g.setTimeout);
  if (now !== undefined && !now.fake) return now.schedule;
  throw new Error(
    'withVirtualTime: the timer functions were already fake (jest or vitest fake timers) when rxflow/testing ' +
      'was first imported, and still are, so it cannot take a real event-loop turn. Install fake timers ' +
      'after importing rxflow/testing (not with enableGlobally or in a setup file), or call useRealTimers() first.',
  );
}

/** @internal Resolves after one macrotask turn, scheduled with `schedule` (see {@link realTurnScheduler}). */
export function macrotaskTurn(schedule: Schedule): Promise<void> {
  pendingTurns++;
  return new Promise((resolve) => {
    schedule(() => {
      pendingTurns--;
      resolve();
    });
  });
}

/** @internal Milliseconds of real time, for bounding real waits only (never faked, as above). */
export function realNow(): number {
  return realPerformanceNow !== undefined ? realPerformanceNow() : realDateNow();
}

/**
 * @internal Tracks real handles (by type, as `process.getActiveResourcesInfo()` lists them)
 * above a baseline taken at the start. Handles that stay open longer than `graceMs` (a server
 * socket, a long real timer) join the baseline, so they cost one wait, not one per step.
 */
export class RealWork {
  private baseline: Map<string, number>;
  private readonly initial: Map<string, number>;
  private busySince: number | undefined = undefined;

  constructor(private readonly graceMs: number) {
    this.baseline = snapshot() ?? new Map();
    this.initial = new Map(this.baseline);
  }

  /** Whether real work started since the baseline is still in flight (always false off Node). */
  inFlight(): boolean {
    const counts = snapshot();
    if (counts === undefined) return false;
    let excess = false;
    for (const [type, base] of this.baseline) {
      const count = counts.get(type) ?? 0;
      if (count < base) this.baseline.set(type, count);
    }
    for (const [type, count] of counts) if (count > (this.baseline.get(type) ?? 0)) excess = true;
    if (!excess) {
      this.busySince = undefined;
      return false;
    }
    const now = realNow();
    this.busySince ??= now;
    if (now - this.busySince < this.graceMs) return true;
    this.baseline = counts;
    this.busySince = undefined;
    return false;
  }

  /** Real handles open now beyond those open at the start, as `'Timeout ×2'`. */
  describeOpen(): string[] {
    const counts = snapshot();
    if (counts === undefined) return [];
    const open: string[] = [];
    for (const [type, count] of counts) {
      const extra = count - (this.initial.get(type) ?? 0);
      if (extra > 0) open.push(extra === 1 ? type : `${type} ×${extra}`);
    }
    return open;
  }
}

function snapshot(): Map<string, number> | undefined {
  if (activeResources === undefined) return undefined;
  const counts = new Map<string, number>();
  for (const type of activeResources()) counts.set(type, (counts.get(type) ?? 0) + 1);
  const immediates = (counts.get('Immediate') ?? 0) - pendingTurns;
  if (immediates > 0) counts.set('Immediate', immediates);
  else counts.delete('Immediate');
  return counts;
}
