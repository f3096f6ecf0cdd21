/**
 * HTTP transport for the REST/JSON adapters, on undici: a keep-alive pool per origin, per-request
 * timeouts, caller cancellation, a token-bucket rate limiter per provider x action, and retries
 * only for errors that say they are retryable. Hooks only ever see redacted headers and bodies.
 */
import { EventEmitter } from 'node:events';
import type { Pool } from 'undici';
import {
  AMBIGUOUS_CODES,
  cancelled,
  isPolybusError,
  PolybusError,
  type PolybusErrorJSON,
} from '../model/errors.js';
import { lazyRequire } from './lazy.js';
import { redactBody, redactHeaders, redactText } from './redact.js';

/** undici loads on the first request, not when polybus is imported. */
const undici = lazyRequire<typeof import('undici')>('undici');

/** Time source; injectable so tests run in virtual time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Retry bounds. Delays use full jitter: random(0, min(maxDelayMs, baseDelayMs * 2^n)). */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * No retry starts once this much time has passed since the first attempt; except that an
   * attempt that ran into its timeout is always followed by one more (if `maxAttempts` allows):
   * its outcome is unknown, and the next attempt (a delete answering NotFound, a create retried
   * with its idempotency token) is what tells. Without that, a timeout as long as the budget
   * would leave no room for it.
   */
  maxElapsedMs: number;
}

/** Defaults: 4 attempts, 200 ms base, 5 s cap, 30 s budget. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxElapsedMs: 30_000,
};

/** Full-jitter backoff for retry number `retry` (0 = first retry), never below Retry-After. */
export function backoffDelay(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs !== undefined ? Math.max(jittered, retryAfterMs) : jittered;
}

/** Parses a Retry-After header (delta seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A token-bucket limit: sustained `ratePerSecond`, bursts up to `burst`. */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

/** One token bucket: tokens left, and when they were counted (in its clock's time). */
interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * The buckets of every limiter with a scope, process-wide: by clock (a virtual clock's time is its
 * own), then by scope, then by `provider:action`. A scope names an account and region (never a
 * secret); limiters of one scope draw from the same buckets, as the service counts one account.
 */
const sharedBuckets = new WeakMap<Clock, Map<string, Map<string, Bucket>>>();

function scopeBuckets(clock: Clock, scope: string): Map<string, Bucket> {
  let byScope = sharedBuckets.get(clock);
  if (!byScope) sharedBuckets.set(clock, (byScope = new Map()));
  let buckets = byScope.get(scope);
  if (!buckets) byScope.set(scope, (buckets = new Map()));
  return buckets;
}

/**
 * Token buckets keyed by provider x action, in the injected clock's time. Without a scope the
 * buckets are this limiter's own; with one they are shared with every limiter of that scope (and
 * clock) in the process: targets of one account and region share the account's limits.
 */
export class RateLimiter {
  private readonly buckets: Map<string, Bucket>;
  /** Keys whose limit is an adapter's documented default, not the user's. */
  private readonly defaults = new Set<string>();
  constructor(
    private readonly clock: Clock,
    /** The user's limits: `provider` or `provider:action` keys. */
    private readonly limits: Record<string, RateLimit> = {},
    /** The account and region whose buckets this limiter shares (see {@link TransportOptions.limitScope}). */
    readonly scope?: string,
  ) {
    this.buckets = scope === undefined ? new Map() : scopeBuckets(clock, scope);
  }

  /**
   * Sets the user's limit for every action of a provider. It overrides the adapter's documented
   * defaults for that provider, its per-action ones included (a user limit for one action still
   * wins for that action).
   */
  setLimit(provider: string, limit: RateLimit): void {
    this.limits[provider] = limit;
    this.defaults.delete(provider);
  }

  /** Sets an adapter's documented limit unless the user configured one for that provider. */
  setDefaultLimit(provider: string, limit: RateLimit): void {
    if (this.limits[provider]) return;
    this.limits[provider] = limit;
    this.defaults.add(provider);
  }

  /**
   * Sets the documented limit of one action of a provider (e.g. Tencent `PutEvents`, 1000/s),
   * unless the user configured one for that action; the provider's limit covers the others.
   */
  setDefaultActionLimit(provider: string, action: string, limit: RateLimit): void {
    const key = `${provider}:${action}`;
    if (this.limits[key]) return;
    this.limits[key] = limit;
    this.defaults.add(key);
  }

  /** The limit in force for `provider:action`: the user's before the adapter's defaults. */
  private limitOf(provider: string, key: string): RateLimit | undefined {
    const action = this.limits[key];
    const whole = this.limits[provider];
    if (action && this.defaults.has(key) && whole && !this.defaults.has(provider)) return whole;
    return action ?? whole;
  }

  /** Waits until a token for `provider:action` is available, then takes it. */
  async acquire(provider: string, action: string, signal?: AbortSignal): Promise<void> {
    const key = `${provider}:${action}`;
    const limit = this.limitOf(provider, key);
    if (!limit) return;
    for (;;) {
      const now = this.clock.now();
      const bucket: Bucket = this.buckets.get(key) ?? { tokens: limit.burst, updated: now };
      bucket.tokens = Math.min(
        limit.burst,
        bucket.tokens + ((now - bucket.updated) / 1000) * limit.ratePerSecond,
      );
      bucket.updated = now;
      this.buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - bucket.tokens) / limit.ratePerSecond) * 1000), signal);
    }
  }
}

/** What hooks see of a request: headers and body already redacted. */
export interface RequestEvent {
  provider: string;
  operation: string;
  method: string;
  url: string;
  attempt: number;
  headers: Record<string, string>;
  body?: string;
}

/** What hooks see of a response. */
export interface ResponseEvent extends RequestEvent {
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  durationMs: number;
  error?: PolybusErrorJSON;
}

/** Observes traffic, for logging and tests. Never receives a secret. */
export interface TransportObserver {
  onRequest?(event: RequestEvent): void;
  onResponse?(event: ResponseEvent): void;
  onRetry?(event: {
    provider: string;
    operation: string;
    attempt: number;
    delayMs: number;
    error: PolybusErrorJSON;
  }): void;
}

/** Settings of a {@link Transport}. */
export interface TransportOptions {
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  rateLimits?: Record<string, RateLimit>;
  observers?: TransportObserver[];
  /** Random source in [0,1) for jitter; injectable for tests. */
  random?: () => number;
  /** Connections per origin pool. */
  connectionsPerOrigin?: number;
  /**
   * Shares the rate-limit buckets with every transport of the same scope (and clock) in the
   * process: an opaque name of an account and region, never a secret. Targets of one account and
   * region then stay within the account's limits together (see `openProviders`). Default: this
   * transport's own buckets.
   */
  limitScope?: string;
}

/** Context of one logical call, for the retry loop. */
export interface CallContext {
  provider: string;
  operation: string;
  signal?: AbortSignal;
  /**
   * False for creates: an ambiguous failure (timeout, reset, 5xx) may have created the resource,
   * so it is not retried blindly; the adapter looks the resource up first.
   */
  idempotent?: boolean;
  /**
   * True for deletes: when an attempt failed ambiguously (the server may have deleted the
   * resource before the answer was lost) and a retry answers NotFound, the delete took effect.
   */
  deletes?: boolean;
}

/** One HTTP request. `prepare` runs before every attempt (signing with a fresh timestamp). */
export interface HttpRequest extends CallContext {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  prepare?: (request: {
    method: string;
    url: URL;
    headers: Record<string, string>;
    body: string;
  }) => Record<string, string> | Promise<Record<string, string>>;
}

/** A buffered HTTP response. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The shared transport. `execute` runs rate limiting, retries and hooks around one HTTP call;
 * `retrying` gives the same policy to calls made through a vendor SDK.
 */
export class Transport {
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  readonly limiter: RateLimiter;
  private readonly observers: TransportObserver[];
  private readonly random: () => number;
  /** The per-request timeout (ms) of requests that do not set their own (SDK-based adapters use it too). */
  readonly timeoutMs: number;
  private readonly pools = new Map<string, Pool>();
  private readonly connections: number;

  constructor(options: TransportOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.limiter = new RateLimiter(this.clock, { ...options.rateLimits }, options.limitScope);
    this.observers = [...(options.observers ?? [])];
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.connections = options.connectionsPerOrigin ?? 16;
  }

  /** True when an observer is registered (callers skip building events for nobody). */
  get observed(): boolean {
    return this.observers.length > 0;
  }

  /** Adds an observer. */
  observe(observer: TransportObserver): void {
    this.observers.push(observer);
  }

  /** Notifies observers (used by SDK-based adapters too). */
  emitRequest(event: RequestEvent): void {
    for (const o of this.observers) o.onRequest?.(event);
  }

  /** Notifies observers (used by SDK-based adapters too). */
  emitResponse(event: ResponseEvent): void {
    for (const o of this.observers) o.onResponse?.(event);
  }

  /**
   * Runs `attempt` under the rate limiter and the retry policy: a thrown PolybusError is retried
   * only when it is retryable (and, for non-idempotent calls, not ambiguous), with full-jitter
   * backoff that honours Retry-After, within the attempt and total-time bounds.
   */
  async retrying<T>(ctx: CallContext, attempt: (n: number) => Promise<T>): Promise<T> {
    const started = this.clock.now();
    let ambiguous = false;
    /** Whether the one attempt past the time budget that a timeout earns has been spent. */
    let timeoutGrace = false;
    for (let n = 1; ; n++) {
      if (ctx.signal?.aborted) throw cancelled(ctx.provider, ctx.operation, ctx.signal.reason);
      try {
        await this.limiter.acquire(ctx.provider, ctx.operation, ctx.signal);
      } catch (err) {
        throw cancelled(ctx.provider, ctx.operation, err);
      }
      try {
        return await attempt(n);
      } catch (err) {
        if (!isPolybusError(err)) throw err;
        // The earlier, unanswered attempt deleted it: that is the outcome the caller asked for.
        if (ctx.deletes && ambiguous && err.code === 'NotFound') return undefined as T;
        ambiguous ||= AMBIGUOUS_CODES.has(err.code);
        const safe = err.retryable && (ctx.idempotent !== false || !AMBIGUOUS_CODES.has(err.code));
        if (!safe || n >= this.policy.maxAttempts) throw err;
        const delay = backoffDelay(n - 1, this.policy, this.random, err.retryAfterMs);
        if (this.clock.now() - started + delay > this.policy.maxElapsedMs) {
          if (err.code !== 'Timeout' || timeoutGrace) throw err;
          timeoutGrace = true;
        }
        for (const o of this.observers) {
          o.onRetry?.({
            provider: ctx.provider,
            operation: ctx.operation,
            attempt: n,
            delayMs: delay,
            error: err.toJSON(),
          });
        }
        try {
          await this.clock.sleep(delay, ctx.signal);
        } catch (abortReason) {
          throw cancelled(ctx.provider, ctx.operation, abortReason);
        }
      }
    }
  }

  /**
   * Sends `request` and hands the response to `handle`, which returns the result or throws a
   * PolybusError (that the retry loop may retry).
   */
  async execute<T>(request: HttpRequest, handle: (response: HttpResponse) => T | Promise<T>): Promise<T> {
    return this.retrying(request, async (attempt) => {
      const response = await this.send(request, attempt);
      return handle(response);
    });
  }

  /** One HTTP exchange, no retry. Network failures and timeouts become PolybusErrors. */
  async send(request: HttpRequest, attempt = 1): Promise<HttpResponse> {
    const url = new URL(request.url);
    const body = request.body ?? '';
    let headers: Record<string, string> = { ...request.headers };
    if (request.prepare)
      headers = { ...headers, ...(await request.prepare({ method: request.method, url, headers, body })) };
    // Redacted copies are made only for observers: without one, the hot path skips them.
    const event: RequestEvent | undefined = this.observed
      ? {
          provider: request.provider,
          operation: request.operation,
          method: request.method,
          url: redactText(url.toString()),
          attempt,
          headers: redactHeaders(headers),
          ...(body ? { body: redactBody(body) } : {}),
        }
      : undefined;
    if (event) this.emitRequest(event);
    const started = this.clock.now();
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    // The deadline and the caller's signal abort undici through an EventEmitter, which undici
    // accepts as `signal`: an AbortController plus AbortSignal.any per request cost about 10 µs
    // of CPU per call (EventTarget listeners), a tenth of a loopback round trip.
    const abort = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.emit('abort');
    }, timeoutMs);
    timer.unref?.();
    const onCallerAbort = () => abort.emit('abort');
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      if (request.signal?.aborted) throw request.signal.reason;
      const res = await this.pool(url.origin).request({
        method: request.method as 'GET',
        path: `${url.pathname}${url.search}`,
        headers,
        body: body === '' ? null : body,
        signal: abort,
      });
      const text = await res.body.text();
      const responseHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      if (event)
        this.emitResponse({
          ...event,
          status: res.statusCode,
          responseHeaders: redactHeaders(responseHeaders),
          ...(text ? { responseBody: redactBody(text) } : {}),
          durationMs: this.clock.now() - started,
        });
      return { status: res.statusCode, headers: responseHeaders, body: text };
    } catch (err) {
      const error = request.signal?.aborted
        ? cancelled(request.provider, request.operation, err)
        : timedOut
          ? new PolybusError({
              code: 'Timeout',
              provider: request.provider,
              operation: request.operation,
              message: `${request.operation} timed out after ${timeoutMs} ms`,
              cause: err,
            })
          : new PolybusError({
              code: 'Network',
              provider: request.provider,
              operation: request.operation,
              message: `${request.operation}: network error: ${(err as Error).message}`,
              cause: err,
            });
      if (event)
        this.emitResponse({ ...event, durationMs: this.clock.now() - started, error: error.toJSON() });
      throw error;
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new (undici().Pool)(origin, { connections: this.connections, keepAliveTimeout: 10_000 });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}
