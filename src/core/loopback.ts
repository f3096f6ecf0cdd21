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
  /**
   * `error`: answer with the emulator's error for `code`; `drop-after-commit`: perform the
   * operation, then destroy the socket without answering; `delay`: answer after `delayMs`;
   * `malformed`: answer 200 with a body that is not JSON.
   */
  kind: 'error' | 'drop-after-commit' | 'delay' | 'malformed';
  /** How many matching requests it affects (default 1). */
  times?: number;
  code?: string;
  status?: number;
  delayMs?: number;
}

/** Faults queued by tests, consumed by matching requests in order. */
export class FaultPlan {
  private readonly faults: (Fault & { left: number })[] = [];

  /** Queues a fault. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Removes every queued fault. */
  clear(): void {
    this.faults.length = 0;
  }

  /** Takes the first fault matching `operation`, if any. */
  take(operation: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(i, 1);
    return fault;
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

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Applies a `delay`, `drop-after-commit` or `malformed` fault around `respond`. Returns true if handled. */
export async function applyTransportFault(
  fault: Fault | undefined,
  res: ServerResponse,
  commit: () => void,
): Promise<boolean> {
  if (!fault) return false;
  if (fault.kind === 'delay') {
    await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
    return false;
  }
  if (fault.kind === 'drop-after-commit') {
    commit();
    res.socket?.destroy();
    return true;
  }
  if (fault.kind === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"truncated":');
    return true;
  }
  return false;
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
