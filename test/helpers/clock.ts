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

/**
 * A discrete-event clock for tests that drive real loopback requests in virtual time: time stands
 * still while any request is in flight (its `observer` on the transports counts them) and, when
 * none is, jumps to the earliest sleeper's wake time. An emulator reading the same clock then sees
 * each request at the virtual time it was sent, however slow the machine is.
 */
export class SteppedClock implements Clock {
  private sleepers: { at: number; resolve: () => void }[] = [];
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const sleeper = { at: this.time + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason as Error);
        },
        { once: true },
      );
      this.schedule();
    });
  }
  /** Register on every transport that shares this clock. */
  readonly observer = {
    onRequest: () => {
      this.inFlight += 1;
    },
    onResponse: () => {
      this.inFlight -= 1;
      this.schedule();
    },
  };
  private schedule(): void {
    this.timer ??= setTimeout(() => this.step(), 2);
  }
  private step(): void {
    this.timer = undefined;
    if (this.inFlight > 0 || !this.sleepers.length) return; // a response schedules the next step
    const at = Math.min(...this.sleepers.map((s) => s.at));
    this.time = Math.max(this.time, at);
    const due = this.sleepers.filter((s) => s.at <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.at > this.time);
    for (const s of due) s.resolve();
    this.schedule();
  }
}
