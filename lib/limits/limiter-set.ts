import type { HeldSince, Limiter, SlotPool, SlotWaiter } from './limiter.js';
import { WaiterQueue } from './waiter-queue.js';

/**
 * @internal Several limits taken together (`concurrency(['a', 'b'], fn)`): a waiter is granted
 * once it holds `occupy` slots of every member. Members are taken one at a time in name order,
 * waiting in each member's own FIFO queue, so two callers asking for `['a', 'b']` and
 * `['b', 'a']` cannot each hold one and wait for the other (tag limits use the same order).
 * Waiters of one set are served first come first served; only the head one is taking slots.
 * A caller with every slot free takes them at once (`tryAcquire`), all or nothing.
 */
export class LimiterSet implements SlotPool {
  readonly name: string;
  private readonly queue = new WaiterQueue();
  private pumping = false;
  /** The head waiter while it is taking slots, and how many members it holds. */
  private current: SlotWaiter | undefined = undefined;
  private held = 0;
  /** Each member's time when the head waiter began taking slots (undefined when none decays). */
  private startedAt: readonly number[] | undefined = undefined;
  /** {@link heldSince}: the times of the last waiter granted or `tryAcquire` that succeeded. */
  private granted: readonly number[] | undefined = undefined;
  private readonly member = new MemberWaiter(this);

  /** `members`: distinct, sorted by name (see `resolveLimits`). */
  constructor(readonly members: readonly Limiter[]) {
    this.name = members.map((m) => m.name).join(', ');
  }

  get limit(): number {
    let min = 0;
    for (const m of this.members) if (m.limit > 0 && (min === 0 || m.limit < min)) min = m.limit;
    return min;
  }

  tryAcquire(occupy: number): boolean {
    if (this.queue.size > 0) return false;
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      if (!members[i]!.tryAcquire(occupy)) {
        for (let j = 0; j < i; j++) members[j]!.release(occupy);
        return false;
      }
    }
    this.granted = this.memberTimes();
    return true;
  }

  enqueue(waiter: SlotWaiter): void {
    this.queue.push(waiter);
    this.pump();
  }

  remove(waiter: SlotWaiter): boolean {
    if (this.current === waiter) this.giveBack();
    if (!this.queue.delete(waiter)) return false;
    this.pump();
    return true;
  }

  /** Never: a slot freed by the owner goes back to every member, and the queue is served anew. */
  isFirst(): boolean {
    return false;
  }

  release(occupy: number): void {
    for (const m of this.members) m.release(occupy);
  }

  /**
   * Each member's time when the slots just granted began to be taken: never later than the
   * member's own take, so {@link releaseHeld} never gives back more than is left of them.
   */
  heldSince(): HeldSince {
    return this.granted;
  }

  releaseHeld(occupy: number, since: HeldSince): void {
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      members[i]!.releaseHeld(occupy, typeof since === 'object' ? since[i] : undefined);
    }
  }

  /** Every member's `now()` when one of them decays, else undefined. */
  private memberTimes(): readonly number[] | undefined {
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      if (members[i]!.decayPerSecond > 0) return members.map((m) => m.scheduler.now());
    }
    return undefined;
  }

  /** @internal From {@link MemberWaiter}: the member the head waiter was queued in granted. */
  memberGranted(): void {
    this.held++;
    this.pump();
  }

  /** @internal From {@link MemberWaiter}: a member can never serve the head waiter (it shrank). */
  memberFailed(error: unknown): void {
    const waiter = this.current!;
    this.giveBack();
    this.queue.delete(waiter);
    waiter.fail(error);
    this.pump();
  }

  /** Leaves the member queue the head waiter is in and releases what it holds. */
  private giveBack(): void {
    const occupy = this.current!.occupy;
    if (this.member.queueIndex >= 0) this.members[this.held]!.remove(this.member);
    for (let i = 0; i < this.held; i++) this.members[i]!.release(occupy);
    this.current = undefined;
    this.held = 0;
  }

  /** Moves the head waiter through the members; re-entrant calls fold into the running loop. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.current === undefined) {
          this.current = this.queue.peek();
          if (this.current === undefined) break;
          this.held = 0;
          this.startedAt = this.memberTimes();
        }
        if (this.member.queueIndex >= 0) break; // still waiting in a member's queue
        const waiter = this.current!;
        const members = this.members;
        while (this.held < members.length && this.current === waiter && this.member.queueIndex < 0) {
          const m = members[this.held]!;
          if (m.tryAcquire(waiter.occupy)) this.held++;
          else {
            this.member.occupy = waiter.occupy;
            m.enqueue(this.member); // may grant at once (memberGranted folds into this loop)
          }
        }
        if (this.current !== waiter) continue; // it failed meanwhile
        if (this.held < members.length) break;
        this.queue.shift();
        this.current = undefined;
        this.held = 0;
        this.granted = this.startedAt;
        waiter.grant();
      }
    } finally {
      this.pumping = false;
    }
    this.queue.tidy();
  }
}

/** The head waiter's place in one member's queue: one object per set, reused. */
class MemberWaiter implements SlotWaiter {
  occupy = 1;
  queueIndex = -1;

  constructor(private readonly set: LimiterSet) {}

  grant(): void {
    this.set.memberGranted();
  }

  fail(error: unknown): void {
    this.set.memberFailed(error);
  }
}
