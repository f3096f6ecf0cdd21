/**
 * Plumbing shared by the emulators: an HTTP server bound to loopback only, request bodies, and
 * switchable fault injection. Provider-neutral; each emulator brings its own wire format.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault to inject into matching requests. */
export interface Fault {
  /** Native action or route name to match; any when absent. */
  operation?: string;
  /** Only requests whose path, query or body contains this text (e.g. one resource's id). */
  match?: string;
  /**
   * - `error`: answer with the emulator's own error for `code` (e.g. its throttling error);
   * - `drop-after-commit`: perform the operation, then reset the connection without answering;
   * - `drop-before-commit`: reset the connection without performing the operation;
   * - `delay`: perform the operation at once, answer after `delayMs` (the answer arrives late,
   *   e.g. after the client's timeout: the change was made all the same);
   * - `malformed`: answer 200 with a truncated JSON body (after performing the operation when
   *   `commit` is true);
   * - `html`: answer `status` (default 502) with a gateway's HTML page, without performing it;
   * - `slow-body`: perform the operation, send the headers and half the body, then the rest
   *   after `delayMs` (a body trickled slower than the client's timeout);
   * - `invisible`: perform the operation, then hide what it created from the next `reads` reads
   *   (Get answers NotFound, List leaves it out), as an eventually consistent service does.
   */
  kind:
    | 'error'
    | 'drop-after-commit'
    | 'drop-before-commit'
    | 'delay'
    | 'malformed'
    | 'html'
    | 'slow-body'
    | 'invisible';
  /** How many matching requests it affects (default 1; `Infinity` for every one). */
  times?: number;
  /** Chance in [0, 1] that a matching request is affected (default 1); draws use `FaultPlan.random`. */
  probability?: number;
  code?: string;
  status?: number;
  delayMs?: number;
  /** `malformed`: perform the operation before answering. */
  commit?: boolean;
  /** `invisible`: reads that do not see the new resource (default 1). */
  reads?: number;
}

/** Faults queued by tests, consumed by matching requests in order. */
export class FaultPlan {
  private readonly faults: (Fault & { left: number })[] = [];
  /** Faults injected so far, per kind (for soak figures). */
  readonly injected = new Map<Fault['kind'], number>();

  /** @param random - source in [0, 1) for `probability` draws; seed it for reproducible runs. */
  constructor(public random: () => number = Math.random) {}

  /** Queues a fault. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Removes every queued fault. */
  clear(): void {
    this.faults.length = 0;
  }

  /** Takes the first fault matching `operation` (and the request, for `match`) whose probability draw hits. */
  take(operation: string, request?: LoopbackRequest): Fault | undefined {
    const text = (f: Fault) =>
      f.match === undefined ||
      (request !== undefined &&
        `${request.url.pathname}${request.url.search}\n${request.body.toString('utf8')}`.includes(f.match));
    const i = this.faults.findIndex(
      (f) =>
        (f.operation === undefined || f.operation === operation) &&
        text(f) &&
        (f.probability === undefined || this.random() < f.probability),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(i, 1);
    this.injected.set(fault.kind, (this.injected.get(fault.kind) ?? 0) + 1);
    return fault;
  }
}

/** The string values of an object's own top-level fields (ids, names, ARNs of a write result). */
export function stringValues(value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.values(value).filter((v): v is string => typeof v === 'string' && v !== '');
}

/**
 * Read-after-write lag: values (ids, names) that the next N reads do not see. Emulators consult it
 * in their read paths; every read that would have shown a hidden value uses up one of its reads.
 */
export class ReadLag {
  private readonly hidden = new Map<string, number>();

  /** Hides `values` from the next `reads` reads. */
  hide(values: Iterable<string>, reads: number): void {
    for (const v of values) this.hidden.set(v, reads);
  }

  /** True while something is hidden. */
  get active(): boolean {
    return this.hidden.size > 0;
  }

  /** True when a read that names any of `values` must not see it; uses up one read of each. */
  hides(values: unknown[]): boolean {
    let hit = false;
    for (const v of values) {
      if (typeof v !== 'string') continue;
      const left = this.hidden.get(v);
      if (left === undefined) continue;
      hit = true;
      if (left <= 1) this.hidden.delete(v);
      else this.hidden.set(v, left - 1);
    }
    return hit;
  }

  /** The rows a list may show: those naming no hidden value (each hidden row uses up one read). */
  filter<T>(rows: T[]): T[] {
    if (!this.active) return rows;
    return rows.filter((r) => !this.hides(stringValues(r)));
  }

  /** Applies {@link filter} to every array field of a list result. */
  filterLists<T>(result: T): T {
    if (!this.active || !result || typeof result !== 'object') return result;
    const out: Record<string, unknown> = { ...(result as Record<string, unknown>) };
    for (const [k, v] of Object.entries(out)) if (Array.isArray(v)) out[k] = this.filter(v);
    return out as T;
  }
}

/** A request as the emulators see it. */
export interface LoopbackRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (port 0 = any free port). */
export async function startLoopbackServer(
  handler: (req: LoopbackRequest, res: ServerResponse) => Promise<void> | void,
  port = 0,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: LoopbackRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      Promise.resolve(handler(request, res)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`emulator failure: ${(err as Error).message}`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response (slowly under a `slow-body` fault). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  fault?: Fault,
): Promise<void> {
  return writeBody(
    res,
    status,
    { 'content-type': 'application/json', ...headers },
    JSON.stringify(body),
    fault,
  );
}

/** A gateway's error page, as a proxy in front of a real service answers. */
const GATEWAY_PAGE =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>gateway</center></body></html>';

/**
 * Holds whatever the emulator writes to `res` (headers, a JSON body, a bodyless 204) and sends it
 * `ms` later, in order: the emulator performs the operation meanwhile, and its answer arrives late.
 */
function holdAnswer(res: ServerResponse, ms: number): void {
  let chain = new Promise<void>((resolve) => setTimeout(resolve, ms));
  const later = (method: 'writeHead' | 'write' | 'end') => {
    const original = res[method] as (...args: unknown[]) => unknown;
    (res as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      chain = chain.then(() => {
        if (!res.destroyed) original.apply(res, args);
      });
      return method === 'write' ? true : res;
    };
  };
  later('writeHead');
  later('write');
  later('end');
}

/**
 * Applies a transport-level fault around `commit` (which performs the operation). Returns true
 * when the fault answered (or dropped) the request itself; false when the emulator answers as
 * usual (after a `delay`, or for `error` and `invisible`, which the emulator handles).
 */
export async function applyTransportFault(
  fault: Fault | undefined,
  res: ServerResponse,
  commit: () => void | Promise<void>,
): Promise<boolean> {
  if (!fault) return false;
  switch (fault.kind) {
    case 'delay':
      holdAnswer(res, fault.delayMs ?? 1000);
      return false;
    case 'drop-after-commit':
      await commit();
      res.socket?.destroy();
      return true;
    case 'drop-before-commit':
      res.socket?.destroy();
      return true;
    case 'malformed':
      if (fault.commit) await commit();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"truncated":');
      return true;
    case 'html':
      res.writeHead(fault.status ?? 502, { 'content-type': 'text/html' });
      res.end(GATEWAY_PAGE);
      return true;
    case 'slow-body':
      return false;
    default:
      return false;
  }
}

/**
 * Sends `status` and `text` as usual, or, under a `slow-body` fault, the headers and half the
 * body at once and the rest after `delayMs` (a server stalling mid-body).
 */
export async function writeBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  text: string,
  fault?: Fault,
): Promise<void> {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
  if (fault?.kind !== 'slow-body') {
    res.end(text);
    return;
  }
  const half = Math.floor(text.length / 2);
  res.write(text.slice(0, half));
  await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
  if (!res.destroyed) res.end(text.slice(half));
}

/** Short random id fragment. */
export function randomId(length = 8): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

/** What every emulator shares: the loopback server's lifecycle, request counts, the fault plan. */
export abstract class LoopbackEmulator {
  /** Faults queued by tests. */
  readonly faults = new FaultPlan();
  /** Read-after-write lag armed by `invisible` faults. */
  readonly readLag = new ReadLag();
  /** Requests received per native operation (tests count them). */
  readonly requestCounts = new Map<string, number>();
  private server?: LoopbackServer;

  /** Answers one request in the provider's wire format. */
  protected abstract handle(req: LoopbackRequest, res: ServerResponse): Promise<void>;

  /** Binds to 127.0.0.1 (port 0 = any free port). */
  protected async listen(port = 0): Promise<void> {
    this.server = await startLoopbackServer((req, res) => this.handle(req, res), port);
  }

  /** Counts one request of `operation`. */
  protected countRequest(operation: string): void {
    this.requestCounts.set(operation, (this.requestCounts.get(operation) ?? 0) + 1);
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    if (!this.server) throw new Error('emulator not started');
    return this.server.url;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await this.server?.close();
  }
}

/**
 * Emulator state kept per scope (region, account x region, project), as the real services keep
 * it: a resource created in one region is invisible from another. An emulator picks its state
 * maps from {@link current}; a request's handler runs inside {@link within} its scope. Handlers
 * are synchronous, so the active scope never leaks between concurrent requests.
 */
export class ScopedState<T> {
  private readonly states = new Map<string, T>();
  private active: string | undefined;

  /**
   * @param create - a fresh state for a scope seen for the first time (it gets the scope's key)
   * @param defaultScope - the scope read outside any request (what tests inspect by default)
   */
  constructor(
    private readonly create: (scope: string) => T,
    readonly defaultScope: string,
  ) {}

  /** The state of `scope`, created on first use. */
  of(scope: string): T {
    let state = this.states.get(scope);
    if (state === undefined) {
      state = this.create(scope);
      this.states.set(scope, state);
    }
    return state;
  }

  /** The scope of the request being handled, else the default scope. */
  get scope(): string {
    return this.active ?? this.defaultScope;
  }

  /** The state of the request being handled, else the default scope's. */
  get current(): T {
    return this.of(this.scope);
  }

  /** Runs a synchronous handler with `scope` active. */
  within<R>(scope: string, fn: () => R): R {
    const previous = this.active;
    this.active = scope;
    try {
      return fn();
    } finally {
      this.active = previous;
    }
  }

  /** Every scope that holds state, in first-use order. */
  scopes(): string[] {
    return [...this.states.keys()];
  }
}
