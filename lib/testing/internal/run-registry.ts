import type { VirtualScopeHooks } from '../../internal/context.js';

/**
 * @internal The runs started inside one virtual-time scope that have not ended, for the
 * deadlock report. Forwards to an enclosing scope's hooks, so an outer scope's report also
 * names runs of a nested one.
 */
export class RunRegistry implements VirtualScopeHooks {
  private readonly active = new Map<string, () => string>();

  constructor(private readonly outer: VirtualScopeHooks | undefined) {}

  runStarted(id: string, describe: () => string): void {
    this.active.set(id, describe);
    this.outer?.runStarted(id, describe);
  }

  runEnded(id: string): void {
    this.active.delete(id);
    this.outer?.runEnded(id);
  }

  /** The active runs, each described by the engine (a describer that throws is skipped). */
  describe(): string[] {
    const out: string[] = [];
    for (const [id, describe] of this.active) {
      try {
        out.push(describe());
      } catch {
        out.push(`run ${id}`);
      }
    }
    return out;
  }
}
