/**
 * The Huawei emulator's server: options, the routing of a path to its EventGrid operation, the
 * request log, fault injection and read lag, authentication, and dispatch to the resource handlers.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  applyTransportFault,
  LoopbackEmulator,
  type LoopbackRequest,
  ScopedState,
  sendJson,
} from '../../../testing/loopback.js';
import type { HuaweiAccessKeyCredentials } from '../auth.js';
import { DeliveryEngine } from '../../../testing/delivery.js';
import type { HuaweiOperation } from '../actions.js';
import { channelHandlers } from './channels.js';
import {
  EgError,
  type Handler,
  type Handlers,
  notFound,
  now,
  type ProjectState,
  type Row,
} from './common.js';
import { connectionHandlers } from './connections.js';
import { eventHandlers } from './events.js';
import { HUAWEI_EMULATOR_ACCESS_KEY, HUAWEI_EMULATOR_USER, HuaweiIam } from './iam.js';
import { quotaHandlers } from './quotas.js';
import { sourceHandlers } from './sources.js';
import { subscriptionPartHandlers } from './subscription-parts.js';
import { subscriptionHandlers } from './subscriptions.js';

/** The emulator's project id (32 hex digits, like a real one). */
export const HUAWEI_EMULATOR_PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
/** A second project of the emulator's account (a project belongs to one region: another region's). */
export const HUAWEI_EMULATOR_PROJECT_2 = '1a2b3c4d5e6f708192a3b4c5d6e7f809';

/** Options of {@link HuaweiEmulator.start}. */
export interface HuaweiEmulatorOptions {
  users?: { username: string; password: string; domainName: string }[];
  /** The default project (default {@link HUAWEI_EMULATOR_PROJECT}). */
  projectId?: string;
  /** Every project the account has (default: `projectId`, and {@link HUAWEI_EMULATOR_PROJECT_2} when `projectId` is not given). */
  projectIds?: string[];
  /** Tokens accepted without login (as if issued by IAM). */
  staticTokens?: string[];
  /** Access keys accepted for signed requests (default {@link HUAWEI_EMULATOR_ACCESS_KEY}). */
  accessKeys?: HuaweiAccessKeyCredentials[];
  /** The emulator's clock for `X-Sdk-Date` checks (default `Date.now`). */
  now?: () => number;
  tokenTtlMs?: number;
  connectionReadyMs?: number;
  port?: number;
}

/**
 * Operations whose path is not `/{resource}[/{id}]` (huawei-eventgrid.md Paths; the EG SDKs'
 * URL templates): channel PutEvents, a subscription's source and target, and the quotas.
 */
const NESTED_ROUTES: { method: string; path: RegExp; operation: HuaweiOperation | 'PutEvents' }[] = [
  { method: 'POST', path: /^\/v1\/[^/]+\/channels\/[^/]+\/events$/, operation: 'PutEvents' },
  {
    method: 'PUT',
    path: /^\/v1\/[^/]+\/subscriptions\/[^/]+\/sources\/[^/]+$/,
    operation: 'UpdateSubscriptionSource',
  },
  {
    method: 'PUT',
    path: /^\/v1\/[^/]+\/subscriptions\/[^/]+\/targets\/[^/]+$/,
    operation: 'UpdateSubscriptionTarget',
  },
  { method: 'GET', path: /^\/v1\/[^/]+\/quotas$/, operation: 'ListQuotas' },
];

/** The emulator. */
export class HuaweiEmulator extends LoopbackEmulator {
  /**
   * State per project (the project id in the path), as EventGrid keeps it; a project belongs to
   * one region. Outside a request, the default project's.
   */
  readonly projects: ScopedState<ProjectState>;
  get channels() {
    return this.projects.current.channels;
  }
  get sources() {
    return this.projects.current.sources;
  }
  get connections() {
    return this.projects.current.connections;
  }
  get subscriptions() {
    return this.projects.current.subscriptions;
  }
  /** Bodies received per operation, for exchange-level assertions. */
  readonly received: {
    operation: string;
    method: string;
    path: string;
    headers: LoopbackRequest['headers'];
    body: string;
  }[] = [];
  readonly projectId: string;
  /** The delivery log and http sender: subscriptions' HTTPS targets get the events they match (issue 17). */
  readonly delivery = new DeliveryEngine('huawei');
  /** Users, tokens and access keys: login and each request's authentication. */
  private readonly iam: HuaweiIam;
  private readonly handlers: Handlers;

  private constructor(o: HuaweiEmulatorOptions) {
    super();
    this.projectId = o.projectId ?? HUAWEI_EMULATOR_PROJECT;
    this.iam = new HuaweiIam(
      o.users ?? [HUAWEI_EMULATOR_USER],
      new Set([
        this.projectId,
        ...(o.projectIds ?? (o.projectId === undefined ? [HUAWEI_EMULATOR_PROJECT_2] : [])),
      ]),
      o.tokenTtlMs ?? 24 * 3600_000,
      new Map((o.accessKeys ?? [HUAWEI_EMULATOR_ACCESS_KEY]).map((k) => [k.accessKey, k] as const)),
      o.now ?? Date.now,
    );
    const connectionReadyMs = o.connectionReadyMs ?? 300;
    this.projects = new ScopedState(() => {
      // Every project has the official `default` channel for cloud service events.
      const ts = now();
      const official = {
        id: 'official-default',
        name: 'default',
        description: 'cloud service events',
        provider_type: 'OFFICIAL',
        created_time: ts,
        updated_time: ts,
      };
      return {
        channels: new Map<string, Row>([['official-default', official]]),
        sources: new Map<string, Row>(),
        connections: new Map<string, Row>(),
        subscriptions: new Map<string, Row>(),
      };
    }, this.projectId);
    for (const t of o.staticTokens ?? [])
      this.iam.tokens.set(t, { expiresAt: Number.POSITIVE_INFINITY, projectId: this.projectId });
    // Every operation of polybus's catalog (actions.ts) has a handler: the type makes a missing one a compile error.
    this.handlers = {
      ...channelHandlers(this),
      ...sourceHandlers(this),
      ...connectionHandlers(this, connectionReadyMs),
      ...subscriptionHandlers(this),
      ...subscriptionPartHandlers(this),
      ...quotaHandlers(this),
      ...eventHandlers(this),
    };
  }

  /** Starts an emulator on 127.0.0.1 (one origin serves both EG and IAM paths). */
  static async start(options: HuaweiEmulatorOptions = {}): Promise<HuaweiEmulator> {
    const emu = new HuaweiEmulator(options);
    await emu.listen(options.port ?? 0);
    return emu;
  }

  /** Expires every issued token now (simulates expiry mid-run). */
  expireAllTokens(): void {
    for (const t of this.iam.tokens.values()) t.expiresAt = 0;
  }

  protected async handle(req: LoopbackRequest, res: ServerResponse): Promise<void> {
    if (this.delivery.serve(req.url, res)) return; // emulator-only delivery log read (issue 17)
    const requestId = `${randomUUID()}-${Date.now()}-emulator`;
    const operation = this.operationOf(req);
    this.countRequest(operation);
    this.received.push({
      operation,
      method: req.method,
      path: req.url.pathname + req.url.search,
      headers: req.headers,
      body: req.body.toString('utf8'),
    });
    const fault = this.faults.take(operation, req);
    let result: { status: number; body?: unknown; headers?: Record<string, string> } | undefined;
    let error: EgError | undefined;
    const commit = () => {
      try {
        result = this.dispatch(req, operation);
      } catch (e) {
        if (!(e instanceof EgError)) throw e;
        error = e;
      }
    };
    if (await applyTransportFault(fault, res, commit)) return;
    if (fault?.kind === 'error')
      error = new EgError(fault.status ?? 500, fault.code ?? 'EG.00015000', 'injected fault');
    else if (
      this.readLag.active &&
      operation.startsWith('Show') &&
      this.readLag.hides(req.url.pathname.split('/'))
    )
      error = notFound(req.url.pathname);
    else commit();
    const created = (result?.body as { id?: unknown } | undefined)?.id;
    if (fault?.kind === 'invisible' && operation.startsWith('Create') && typeof created === 'string')
      this.readLag.hide([created], fault.reads ?? 1);
    if (result?.body && operation.startsWith('List')) result.body = this.readLag.filterLists(result.body);
    if (error) {
      await sendJson(
        res,
        error.status,
        { error_code: error.code, error_msg: error.message, request_id: requestId },
        { 'x-request-id': requestId },
        fault,
      );
      return;
    }
    if (result?.body === undefined) {
      res.writeHead(result?.status ?? 204, { 'x-request-id': requestId, ...result?.headers });
      res.end();
      return;
    }
    await sendJson(res, result.status, result.body, { 'x-request-id': requestId, ...result.headers }, fault);
  }

  private operationOf(req: LoopbackRequest): string {
    if (req.url.pathname === '/v3/auth/tokens') return 'KeystoneCreateUserTokenByPassword';
    const nested = NESTED_ROUTES.find((r) => r.method === req.method && r.path.test(req.url.pathname));
    if (nested) return nested.operation;
    const m = /^\/v1\/[^/]+\/(channels|sources|connections|subscriptions)(?:\/([^/]+))?$/.exec(
      req.url.pathname,
    );
    if (!m) return 'Unknown';
    const noun = {
      channels: 'Channel',
      sources: 'EventSource',
      connections: 'Connection',
      subscriptions: 'Subscription',
    }[m[1] as 'channels'];
    if (m[2] === 'operation' && req.method === 'POST') return 'OperateSubscription';
    const verb = m[2]
      ? ({ GET: 'Show', PUT: 'Update', DELETE: 'Delete' } as Record<string, string>)[req.method]
      : ({ GET: 'List', POST: 'Create' } as Record<string, string>)[req.method];
    return verb ? `${verb}${noun}${verb === 'List' ? 's' : ''}` : 'Unknown';
  }

  private dispatch(
    req: LoopbackRequest,
    operation: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    if (operation === 'KeystoneCreateUserTokenByPassword' && req.method === 'POST')
      return this.iam.login(req);
    this.iam.authorize(req);
    const id = req.url.pathname.split('/')[4];
    const q = req.url.searchParams;
    const handler = (this.handlers as Partial<Record<string, Handler>>)[operation];
    if (!handler) throw notFound(`${req.method} ${req.url.pathname}`);
    const project = req.url.pathname.split('/')[2]!;
    return this.projects.within(project, () => handler(id ? decodeURIComponent(id) : undefined, req, q));
  }
}
