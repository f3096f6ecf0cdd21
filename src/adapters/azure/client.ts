/**
 * Azure Resource Manager calls for Microsoft.EventGrid: one request per catalog operation
 * (actions.ts) under `/subscriptions/{subscriptionId}`, a bearer token from Entra ID (one
 * re-authentication on 401), `x-ms-request-id` kept, long-running operations polled to the end at
 * their `Azure-AsyncOperation` or `Location` URL (only on the ARM origin: the token never goes
 * elsewhere) honouring `Retry-After`, and `nextLink` paging. Speaks native names only.
 */
import { invalidArgument, PolybusError } from '../../core/model/errors.js';
import { registerSecret } from '../../core/runtime/redact.js';
import { parseRetryAfter, type HttpResponse, type Transport } from '../../core/runtime/transport.js';
import { AZURE_API_VERSION, AZURE_OPERATIONS, type AzureOperation } from './actions.js';
import { AZURE_SCOPES, type AzureTokenProvider } from './auth.js';
import { mapAzureError } from './errors.js';

/** Where and how to reach ARM. */
export interface AzureClientOptions {
  transport: Transport;
  tokens: AzureTokenProvider;
  /** ARM origin (`https://management.azure.com`). */
  endpoint: string;
  subscriptionId: string;
  /** The resource group `{resourceGroupName}` defaults to. */
  resourceGroup: string;
  /** Longest wait for one long-running operation (default 10 minutes). */
  operationTimeoutMs?: number;
}

/** A parsed ARM answer with its request id. */
export interface ArmAnswer {
  status: number;
  body: unknown;
  requestId?: string;
  headers: Record<string, string>;
}

/** What one call takes besides the operation. */
export interface ArmCall {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** An ARM path segment: letters, digits and `. _ - ( )`, never `.` or `..`. */
const SEGMENT = /^(?!\.+$)[A-Za-z0-9._()-]{1,260}$/;
/** Operation status values that end a poll. */
const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'cancelled']);

/** The ARM client. */
export class AzureClient {
  constructor(private readonly o: AzureClientOptions) {}

  get resourceGroup(): string {
    return this.o.resourceGroup;
  }

  /** The URL of an operation with its path parameters (checked as plain segments). */
  url(op: AzureOperation, params: Record<string, string> = {}): URL {
    const spec = AZURE_OPERATIONS[op];
    const values: Record<string, string> = { resourceGroupName: this.o.resourceGroup, ...params };
    const bad: string[] = [];
    const path = spec.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = values[name];
      if (v === undefined || !SEGMENT.test(v)) bad.push(name);
      return encodeURIComponent(v ?? '');
    });
    if (bad.length)
      throw invalidArgument(
        'azure',
        op,
        bad.map((field) => ({
          field,
          rule: 'required: an ARM name of letters, digits and . _ - ( ) (it is a path segment)',
        })),
      );
    const url = new URL(
      `${this.o.endpoint}/subscriptions/${encodeURIComponent(this.o.subscriptionId)}${path}`,
    );
    url.searchParams.set('api-version', AZURE_API_VERSION);
    return url;
  }

  /** True when the resource an operation's path names exists (a Get answering 404 says no). */
  async exists(op: AzureOperation, params: Record<string, string>, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call(op, { params, signal });
      return true;
    } catch (err) {
      if (err instanceof PolybusError && err.code === 'NotFound') return false;
      throw err;
    }
  }

  /** Sends one operation; a long-running one is polled to its end (PUT/PATCH then read back). */
  async call(op: AzureOperation, c: ArmCall = {}): Promise<ArmAnswer> {
    const spec = AZURE_OPERATIONS[op];
    const url = this.url(op, c.params);
    for (const [k, v] of Object.entries(c.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const first = await this.send(
      op,
      spec.method,
      url,
      c.body,
      c.signal,
      spec.method === 'PUT' || spec.method === 'PATCH',
    );
    // ARM answers a long-running write with Azure-AsyncOperation (on 200, 201 or 202) or with a
    // Location to poll (on 202); anything else has finished.
    const pending =
      first.headers['azure-asyncoperation'] !== undefined ||
      (first.status === 202 && first.headers.location !== undefined);
    if (!('lro' in spec) || !pending) return first;
    await this.wait(op, first, c.signal);
    if (spec.method === 'DELETE') return first;
    return this.send(op.replace(/_(CreateOrUpdate|Update)$/, '_Get'), 'GET', url, undefined, c.signal);
  }

  /** Pages a list operation with `nextLink` (on the ARM origin only). */
  async *list(
    op: AzureOperation,
    c: ArmCall = {},
    pageSize?: number,
  ): AsyncGenerator<Record<string, unknown>> {
    let url: URL | undefined = this.url(op, c.params);
    if (pageSize !== undefined) url.searchParams.set('$top', String(Math.min(100, Math.max(1, pageSize))));
    while (url) {
      const page = await this.send(op, 'GET', url, undefined, c.signal);
      const body = (page.body ?? {}) as { value?: unknown; nextLink?: unknown };
      if (!Array.isArray(body.value))
        throw new PolybusError({
          code: 'Unavailable',
          retryable: true,
          provider: 'azure',
          operation: op,
          message: `${op}: the answer has no value array`,
        });
      for (const item of body.value) yield item as Record<string, unknown>;
      url = typeof body.nextLink === 'string' && body.nextLink ? this.onArm(op, body.nextLink) : undefined;
    }
  }

  /** A URL the service gave (nextLink, operation status) that must stay on the ARM origin. */
  private onArm(op: string, link: string): URL {
    const url = new URL(link);
    if (url.origin !== new URL(this.o.endpoint).origin)
      throw new PolybusError({
        code: 'Internal',
        provider: 'azure',
        operation: op,
        message: `${op}: the service pointed to ${url.origin}, not the ARM endpoint; polybus does not send its token there`,
      });
    return url;
  }

  /** Polls an `Azure-AsyncOperation` (status body) or `Location` (202 until done) URL. */
  private async wait(op: string, first: ArmAnswer, signal?: AbortSignal): Promise<void> {
    const clock = this.o.transport.clock;
    const deadline = clock.now() + (this.o.operationTimeoutMs ?? 600_000);
    const async = first.headers['azure-asyncoperation'];
    const location = first.headers.location;
    if (!async && !location) return;
    const url = this.onArm(op, async ?? location!);
    let last = first;
    for (;;) {
      const delay = parseRetryAfter(last.headers['retry-after'], clock.now()) ?? 1000;
      if (clock.now() + delay > deadline)
        throw new PolybusError({
          code: 'Timeout',
          provider: 'azure',
          operation: op,
          message: `${op}: the long-running operation did not finish in time`,
        });
      if (delay > 0) await clock.sleep(delay, signal);
      last = await this.send(`${op}:poll`, 'GET', url, undefined, signal);
      if (!async) {
        if (last.status !== 202) return;
        continue;
      }
      const status = String((last.body as { status?: unknown } | undefined)?.status ?? '').toLowerCase();
      if (!TERMINAL.has(status)) continue;
      if (status === 'succeeded') return;
      const error = (last.body as { error?: unknown }).error ?? {
        code: 'OperationFailed',
        message: `the operation ended ${status}`,
      };
      throw mapAzureError({
        status: 0,
        body: JSON.stringify({ error }),
        operation: op,
        ...(first.requestId ? { requestId: first.requestId } : {}),
      });
    }
  }

  /** One authenticated request; a 401 re-authenticates once. */
  private async send(
    op: string,
    method: string,
    url: URL,
    body: unknown,
    signal?: AbortSignal,
    idempotent = true,
  ): Promise<ArmAnswer> {
    const attempt = async () => {
      const token = await this.o.tokens.token(AZURE_SCOPES.arm, signal);
      return { token, answer: await this.exec(op, method, url, body, token, signal, idempotent) };
    };
    try {
      return (await attempt()).answer;
    } catch (err) {
      if (err instanceof PolybusError && err.httpStatus === 401 && err.code === 'AuthenticationFailed') {
        const failed = (err as PolybusError & { token?: string }).token;
        if (failed && this.o.tokens.invalidate(AZURE_SCOPES.arm, failed)) return (await attempt()).answer;
      }
      throw err;
    }
  }

  private exec(
    op: string,
    method: string,
    url: URL,
    body: unknown,
    token: string,
    signal: AbortSignal | undefined,
    idempotent: boolean,
  ): Promise<ArmAnswer> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return this.o.transport.execute(
      {
        provider: 'azure',
        operation: op,
        method,
        url: url.toString(),
        headers: {
          authorization: `Bearer ${token}`,
          ...(text !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(text !== undefined ? { body: text } : {}),
        ...(signal ? { signal } : {}),
        // ARM PUT is create-or-update: sending it again leaves the same resource.
        idempotent,
        deletes: method === 'DELETE',
      },
      (res) => this.handle(op, res, token),
    );
  }

  private handle(op: string, res: HttpResponse, token: string): ArmAnswer {
    const requestId = res.headers['x-ms-request-id'];
    if (res.status < 200 || res.status >= 300) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], this.o.transport.clock.now());
      const err = mapAzureError({
        status: res.status,
        body: res.body,
        operation: op,
        ...(requestId ? { requestId } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      // Which token failed, for the one re-authentication (never serialized: not an own enumerable field of the JSON form).
      Object.defineProperty(err, 'token', { value: token, enumerable: false });
      throw err;
    }
    let parsed: unknown;
    if (res.body) {
      try {
        parsed = JSON.parse(res.body);
      } catch {
        throw new PolybusError({
          code: 'Unavailable',
          retryable: true,
          provider: 'azure',
          operation: op,
          httpStatus: res.status,
          message: `${op}: the answer is not JSON`,
          ...(requestId ? { requestId } : {}),
        });
      }
    }
    registerTopicKeys(parsed);
    return { status: res.status, body: parsed, headers: res.headers, ...(requestId ? { requestId } : {}) };
  }
}

/**
 * A topic's access keys (`listKeys` answers `{ key1, key2 }`) are secrets that are not
 * secret-named: registered as soon as they are read, so no output, error or log shows them.
 */
function registerTopicKeys(body: unknown): void {
  if (!body || typeof body !== 'object') return;
  const { key1, key2 } = body as { key1?: unknown; key2?: unknown };
  for (const k of [key1, key2]) if (typeof k === 'string') registerSecret(k);
}
