import { shared } from '../internal/shared.js';
/** @internal Someone waiting for a key's lock. */
export interface LockWaiter {
  /** Called once the lock is released: look again. */
  wake(): void;
}

/**
 * @internal The in-flight locks of one storage, one per key: the run (or subscriber) holding a
 * key's lock is computing its entry; others with that key wait, and on release they are all woken
 * to look again: they find the entry (a hit), or, when the holder failed, the first of them to
 * look takes the lock and computes. This is Prefect's SERIALIZABLE cache isolation, within one
 * process.
 */
export class KeyLocks {
  // Key → the callbacks of those waiting (null: held, nobody waiting).
  private readonly held = new Map<string, LockWaiter[] | null>();

  /** Whether someone holds `key`'s lock. */
  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  /** Takes `key`'s lock and returns true, or, when it is held, queues `waiter` and returns false. */
  acquire(key: string, waiter: LockWaiter): boolean {
    const held = this.held;
    if (!held.has(key)) {
      held.set(key, null);
      return true;
    }
    const waiting = held.get(key);
    if (waiting === null || waiting === undefined) held.set(key, [waiter]);
    else waiting.push(waiter);
    return false;
  }

  /** Releases `key`'s lock and wakes everyone waiting for it, in the order they came. */
  release(key: string): void {
    const waiting = this.held.get(key);
    this.held.delete(key);
    if (waiting) for (const waiter of waiting) waiter.wake();
  }

  /** Stops waiting for `key` (a waiter that was cancelled). */
  leave(key: string, waiter: LockWaiter): void {
    const waiting = this.held.get(key);
    if (!waiting) return;
    const i = waiting.indexOf(waiter);
    if (i >= 0) waiting.splice(i, 1);
  }

  /** The number of keys held: 0 once every computation has ended. */
  get size(): number {
    return this.held.size;
  }
}

const byStorage = shared('keyLocks', () => new WeakMap<object, KeyLocks>());

/** @internal The locks of `storage`: keys are per storage, so are their locks. */
export function locksFor(storage: object): KeyLocks {
  let locks = byStorage.get(storage);
  if (locks === undefined) byStorage.set(storage, (locks = new KeyLocks()));
  return locks;
}
