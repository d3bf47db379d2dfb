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

/** @internal Resolves after one macrotask turn. */
export function macrotaskTurn(): Promise<void> {
  pendingTurns++;
  return new Promise((resolve) => {
    schedule(() => {
      pendingTurns--;
      resolve();
    });
  });
}

const schedule: (callback: () => void) => void =
  typeof globalThis.setImmediate === 'function'
    ? (callback) => void globalThis.setImmediate(callback)
    : typeof globalThis.MessageChannel === 'function'
      ? (callback) => {
          // Unlike setTimeout(0), a message is not clamped to 4 ms after a few nested turns.
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            channel.port1.close();
            callback();
          };
          channel.port2.postMessage(undefined);
        }
      : (callback) => void globalThis.setTimeout(callback, 0);

/** @internal Milliseconds of real time, for bounding real waits only. */
export function realNow(): number {
  return globalThis.performance.now();
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
