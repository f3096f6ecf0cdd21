import type { Clock } from '../../src/core/runtime/transport.js';

/** A clock whose sleeps advance virtual time instantly and are recorded. */
export class VirtualClock implements Clock {
  sleeps: number[] = [];
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
  }
}
