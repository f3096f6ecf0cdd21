import { afterEach, describe, expect, it } from 'vitest';
import { PolybusError } from '../src/core/model/errors.js';
import { registerSecret } from '../src/core/runtime/redact.js';
import {
  type HttpResponse,
  RateLimiter,
  type RequestEvent,
  type ResponseEvent,
  Transport,
} from '../src/core/runtime/transport.js';
import { VirtualClock } from './helpers/clock.js';
import { startServer } from './helpers/server.js';

/** Classifies like an adapter would: 429 throttled (with Retry-After), 5xx unavailable, 4xx invalid. */
function classify(res: HttpResponse): string {
  if (res.status < 300) return res.body;
  const base = { provider: 'test', operation: 'Op', httpStatus: res.status, message: `status ${res.status}` };
  if (res.status === 429) {
    const ra = res.headers['retry-after'];
    throw new PolybusError({
      ...base,
      code: 'Throttled',
      ...(ra ? { retryAfterMs: Number(ra) * 1000 } : {}),
    });
  }
  if (res.status >= 500) throw new PolybusError({ ...base, code: 'Unavailable' });
  throw new PolybusError({ ...base, code: 'InvalidArgument' });
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('retry', () => {
  it('retries a retryable error until it succeeds', async () => {
    const srv = await startServer((_req, _b, res, n) => {
      res.writeHead(n < 3 ? 503 : 200).end(n < 3 ? 'busy' : 'ok');
    });
    close = srv.close;
    const clock = new VirtualClock();
    const t = new Transport({ clock, random: () => 0.5 });
    const out = await t.execute({ provider: 'test', operation: 'Op', method: 'GET', url: srv.url }, classify);
    expect(out).toBe('ok');
    expect(srv.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([100, 200]); // full jitter at 0.5 of 200*2^n
    await t.close();
  });

  it('never retries a non-retryable error', async () => {
    const srv = await startServer((_req, _b, res) => res.writeHead(400).end('bad'));
    close = srv.close;
    const t = new Transport({ clock: new VirtualClock() });
    await expect(
      t.execute({ provider: 'test', operation: 'Op', method: 'GET', url: srv.url }, classify),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
      retryable: false,
    });
    expect(srv.requests).toHaveLength(1);
    await t.close();
  });

  it('does not blindly retry an ambiguous failure of a non-idempotent call', async () => {
    const srv = await startServer((_req, _b, res) => res.writeHead(503).end());
    close = srv.close;
    const t = new Transport({ clock: new VirtualClock() });
    const req = { provider: 'test', operation: 'Create', method: 'POST', url: srv.url, idempotent: false };
    await expect(t.execute(req, classify)).rejects.toMatchObject({ code: 'Unavailable' });
    expect(srv.requests).toHaveLength(1);
    await t.close();
  });

  it('honours Retry-After over a smaller jittered delay', async () => {
    const srv = await startServer((_req, _b, res, n) =>
      n === 1 ? res.writeHead(429, { 'retry-after': '2' }).end() : res.writeHead(200).end('ok'),
    );
    close = srv.close;
    const clock = new VirtualClock();
    const t = new Transport({ clock, random: () => 0 });
    await t.execute({ provider: 'test', operation: 'Op', method: 'GET', url: srv.url }, classify);
    expect(clock.sleeps).toEqual([2000]);
    await t.close();
  });

  it('stops when the next delay would pass the total-time bound', async () => {
    const srv = await startServer((_req, _b, res) => res.writeHead(429, { 'retry-after': '5' }).end());
    close = srv.close;
    const clock = new VirtualClock();
    const t = new Transport({ clock, retry: { maxElapsedMs: 3000, maxAttempts: 10 } });
    await expect(
      t.execute({ provider: 'test', operation: 'Op', method: 'GET', url: srv.url }, classify),
    ).rejects.toMatchObject({
      code: 'Throttled',
    });
    expect(srv.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    await t.close();
  });

  it('stops after maxAttempts', async () => {
    const srv = await startServer((_req, _b, res) => res.writeHead(503).end());
    close = srv.close;
    const t = new Transport({ clock: new VirtualClock(), retry: { maxAttempts: 3 } });
    await expect(
      t.execute({ provider: 'test', operation: 'Op', method: 'GET', url: srv.url }, classify),
    ).rejects.toThrow();
    expect(srv.requests).toHaveLength(3);
    await t.close();
  });
});

describe('rate limiter', () => {
  it('holds 20 requests/s per action in virtual time', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock, { tencent: { ratePerSecond: 20, burst: 1 } });
    const start = clock.now();
    for (let i = 0; i < 41; i++) await limiter.acquire('tencent', 'ListRules');
    expect(clock.now() - start).toBe(2000); // 40 waits of 50 ms after the first token
    // another action has its own bucket
    const before = clock.now();
    await limiter.acquire('tencent', 'GetRule');
    expect(clock.now()).toBe(before);
  });

  it('allows a burst, then the sustained rate', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock, { p: { ratePerSecond: 10, burst: 5 } });
    for (let i = 0; i < 5; i++) await limiter.acquire('p', 'A');
    expect(clock.sleeps).toEqual([]);
    for (let i = 0; i < 10; i++) await limiter.acquire('p', 'A');
    expect(clock.now() - 1_700_000_000_000).toBe(1000);
  });

  it('limiters of one scope (an account and region) share their buckets; others keep their own', async () => {
    const clock = new VirtualClock();
    const limit = { tencent: { ratePerSecond: 20, burst: 1 } };
    const scope = `account-${Math.random()}`;
    const a = new RateLimiter(clock, { ...limit }, scope);
    const b = new RateLimiter(clock, { ...limit }, scope);
    const start = clock.now();
    for (let i = 0; i < 20; i++) {
      await a.acquire('tencent', 'ListRules');
      await b.acquire('tencent', 'ListRules');
    }
    expect(clock.now() - start).toBe(39 * 50); // 40 tokens of one bucket: 20/s together
    // another scope, or no scope, has its own buckets: its first token is free
    for (const other of [
      new RateLimiter(clock, { ...limit }, `${scope}-other`),
      new RateLimiter(clock, limit),
    ]) {
      const before = clock.now();
      await other.acquire('tencent', 'ListRules');
      expect(clock.now()).toBe(before);
    }
    // a scope is shared only within one clock (a virtual clock's time is its own)
    const elsewhere = new VirtualClock();
    await new RateLimiter(elsewhere, { ...limit }, scope).acquire('tencent', 'ListRules');
    expect(elsewhere.sleeps).toEqual([]);
  });

  it('a transport takes its scope from limitScope', () => {
    expect(new Transport({ limitScope: 'tencent:x' }).limiter.scope).toBe('tencent:x');
    expect(new Transport().limiter.scope).toBeUndefined();
  });

  it('leaves providers without a limit alone', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 100; i++) await limiter.acquire('x', 'A');
    expect(clock.sleeps).toEqual([]);
  });
});

describe('timeouts and cancellation', () => {
  it('turns a slow response into PolybusError{code:Timeout}', async () => {
    const srv = await startServer((_req, _b, res) => setTimeout(() => res.writeHead(200).end('late'), 1000));
    close = srv.close;
    const t = new Transport({ retry: { maxAttempts: 1 } });
    await expect(
      t.execute({ provider: 'test', operation: 'Op', method: 'GET', url: srv.url, timeoutMs: 50 }, classify),
    ).rejects.toMatchObject({ code: 'Timeout', retryable: true, operation: 'Op' });
    await t.close();
  });

  it('turns a caller abort into a clear cancellation error, without retrying', async () => {
    const srv = await startServer((_req, _b, res) => setTimeout(() => res.writeHead(200).end('late'), 1000));
    close = srv.close;
    const t = new Transport();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const err = await t
      .execute(
        { provider: 'test', operation: 'Op', method: 'GET', url: srv.url, signal: ac.signal },
        classify,
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolybusError);
    expect(err).toMatchObject({ code: 'Cancelled', retryable: false });
    expect((err as Error).message).toMatch(/cancelled by the caller/);
    expect(srv.requests).toHaveLength(1);
    await t.close();
  });

  it('rejects an already-aborted call before sending', async () => {
    const srv = await startServer((_req, _b, res) => res.end('ok'));
    close = srv.close;
    const t = new Transport();
    await expect(
      t.execute(
        { provider: 'test', operation: 'Op', method: 'GET', url: srv.url, signal: AbortSignal.abort() },
        classify,
      ),
    ).rejects.toMatchObject({ code: 'Cancelled' });
    expect(srv.requests).toHaveLength(0);
    await t.close();
  });

  it('reports a refused connection as a retryable Network error', async () => {
    const srv = await startServer((_req, _b, res) => res.end());
    const url = srv.url;
    await srv.close();
    const t = new Transport({ clock: new VirtualClock(), retry: { maxAttempts: 2 } });
    await expect(
      t.execute({ provider: 'test', operation: 'Op', method: 'GET', url }, classify),
    ).rejects.toMatchObject({
      code: 'Network',
      retryable: true,
    });
    await t.close();
  });
});

describe('redaction', () => {
  it('hooks never see credentials in headers or bodies', async () => {
    const srv = await startServer((_req, _b, res) =>
      res
        .writeHead(200, { 'x-subject-token': 'tok-SERVER-SECRET' })
        .end('{"password":"p@ss-RESPONSE","ok":true}'),
    );
    close = srv.close;
    const seen: (RequestEvent | ResponseEvent)[] = [];
    const t = new Transport({
      observers: [{ onRequest: (e) => seen.push(e), onResponse: (e) => seen.push(e) }],
    });
    await t.execute(
      {
        provider: 'test',
        operation: 'Op',
        method: 'POST',
        url: srv.url,
        headers: {
          authorization: 'TC3-HMAC-SHA256 Credential=AKIDxx, Signature=abc',
          'X-Auth-Token': 'MIIHUWT-token',
          'X-TC-Token': 'tc-session-token',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          name: 'n',
          kafka_detail: { password: 'KAFKA-PW', user_name: 'u' },
          SecretKey: 'SK',
          nested: [{ access_token: 'AT' }],
        }),
      },
      classify,
    );
    const dump = JSON.stringify(seen);
    for (const secret of [
      'AKIDxx',
      'MIIHUWT-token',
      'tc-session-token',
      'KAFKA-PW',
      '"SK"',
      '"AT"',
      'tok-SERVER-SECRET',
      'p@ss-RESPONSE',
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(dump).toContain('[REDACTED]');
    expect(seen[0]?.body).toContain('"user_name":"u"'); // non-secret fields stay readable
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    await t.close();
  });

  it('errors scrub registered secret values from message and JSON', () => {
    registerSecret('hunter2-super-secret');
    const err = new PolybusError({
      code: 'AuthenticationFailed',
      provider: 'test',
      operation: 'Op',
      message: 'login failed for password hunter2-super-secret',
      issues: [{ field: 'password', rule: 'got hunter2-super-secret' }],
    });
    expect(err.message).not.toContain('hunter2');
    expect(JSON.stringify(err)).not.toContain('hunter2');
    expect(err.toJSON()).toMatchObject({ code: 'AuthenticationFailed', retryable: false });
  });
});
