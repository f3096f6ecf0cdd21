/**
 * Read-after-write and create-with-lookup: how a write whose answer was lost or whose result is not
 * yet readable is confirmed by reading, never by blindly sending it again.
 */
import { cancelled, isPolybusError } from '../model/errors.js';
import type { Clock } from './transport.js';

/** Codes after which a create may or may not have happened. */
const AMBIGUOUS_CREATE = new Set(['Timeout', 'Network', 'Unavailable', 'Internal']);

/**
 * Waits between reads right after a write, while an eventually consistent service may not show
 * it yet: about 3 s in all, then the caller decides.
 */
export const READ_AFTER_WRITE_DELAYS_MS: readonly number[] = [100, 200, 400, 800, 1600];

/** What the read-after-write helpers need: a clock to wait on and the caller's signal. */
export interface WaitContext {
  clock: Clock;
  signal?: AbortSignal;
  /** Delays between reads (default {@link READ_AFTER_WRITE_DELAYS_MS}). */
  delaysMs?: readonly number[];
}

const isNotFound = (err: unknown) => isPolybusError(err) && err.code === 'NotFound';

async function pause(ms: number, ctx: WaitContext, operation: string): Promise<void> {
  try {
    await ctx.clock.sleep(ms, ctx.signal);
  } catch (reason) {
    throw cancelled('polybus', operation, reason);
  }
}

/**
 * Reads a resource right after a successful write. NotFound is retried with bounded backoff (the
 * write happened: the service just does not show it yet); if it never shows within the window,
 * the result is `fallback()` — what the write sent and answered — marked `unconfirmed`, never an
 * error for a change that was made.
 */
export async function readAfterWrite<T extends object>(
  read: () => Promise<T>,
  fallback: () => T,
  ctx: WaitContext,
): Promise<T> {
  const delays = ctx.delaysMs ?? READ_AFTER_WRITE_DELAYS_MS;
  for (let i = 0; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (i >= delays.length) return { ...fallback(), unconfirmed: true as const };
      await pause(delays[i]!, ctx, 'read-after-write');
    }
  }
}

/**
 * Looks a resource up, tolerating read-after-write lag: `find` is tried again with bounded
 * backoff while it finds nothing, and `undefined` is returned only once the window has passed.
 */
export async function lookupAfterWrite<T>(
  find: () => Promise<T | undefined>,
  ctx: WaitContext,
): Promise<T | undefined> {
  const delays = ctx.delaysMs ?? READ_AFTER_WRITE_DELAYS_MS;
  for (let i = 0; ; i++) {
    const hit = await find().catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (hit !== undefined || i >= delays.length) return hit;
    await pause(delays[i]!, ctx, 'lookup');
  }
}

/** Creates sent at most for one request when every answer is lost (each one looked up first). */
const MAX_CREATE_SENDS = 3;

/**
 * Creates without ever making two resources for one request on providers with no idempotency
 * token: when the create fails ambiguously (timeout, reset, 5xx, a cut body), the resource is
 * looked up by name, waiting out the read-after-write window, and created again only when it still
 * is not there (a bounded number of times, with a last look after the last ambiguous failure).
 */
export async function createWithLookup<T>(
  create: () => Promise<T>,
  findByName: () => Promise<T | undefined>,
  ctx: WaitContext,
): Promise<T> {
  for (let sends = 1; ; sends++) {
    try {
      return await create();
    } catch (err) {
      if (!isPolybusError(err)) throw err;
      if (!AMBIGUOUS_CREATE.has(err.code)) throw err;
      const existing = await lookupAfterWrite(findByName, ctx);
      if (existing !== undefined) return existing;
      if (sends >= MAX_CREATE_SENDS) throw err;
    }
  }
}

/** Finds the first item of an async iterable that matches. */
export async function findFirst<T>(
  items: AsyncIterable<T>,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const item of items) if (match(item)) return item;
  return undefined;
}
