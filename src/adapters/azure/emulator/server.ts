/**
 * The Azure emulator's server: Microsoft Entra ID's token endpoint, Azure Resource Manager for
 * `Microsoft.EventGrid` custom topics and their event subscriptions (bearer tokens checked,
 * `api-version` required, `x-ms-request-id` on every answer, long-running operations polled at
 * their `Azure-AsyncOperation`/`Location` URLs), and each topic's publishing endpoint. One origin
 * serves them all; it never listens beyond 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { DeliveryEngine } from '../../../testing/delivery.js';
import {
  applyTransportFault,
  LoopbackEmulator,
  type LoopbackRequest,
  ScopedState,
  sendJson,
} from '../../../testing/loopback.js';
import type { AzureOperation } from '../actions.js';
import {
  type Answer,
  ArmError,
  type ArmPath,
  type AzureEmulatorScope,
  newOperation,
  type Operation,
  type SubscriptionState,
} from './common.js';
import { eventHandlers } from './events.js';
import { eventSubscriptionHandlers } from './subscriptions.js';
import {
  AUDIENCES,
  AZURE_EMULATOR_CLIENT,
  AZURE_EMULATOR_RESOURCE_GROUP,
  AZURE_EMULATOR_SUBSCRIPTION,
  EntraEmulator,
} from './token.js';
import { topicHandlers } from './topics.js';

/** A second Azure subscription of the emulator's tenant. */
export const AZURE_EMULATOR_SUBSCRIPTION_2 = '00000000-0000-4000-8000-00000000a2e2';

/** Options of {@link AzureEmulator.start}. */
export interface AzureEmulatorOptions {
  port?: number;
  /** Token lifetime in seconds (default 3599, as Entra answers). */
  tokenTtlSeconds?: number;
  /** Polls a long-running operation answers InProgress before it finishes (default 1). */
  operationPolls?: number;
  /** Resource groups that exist (default `polybus-rg` and `polybus-rg-2`). */
  resourceGroups?: string[];
  /** The `Retry-After` seconds of an injected 429 (default 0). */
  throttleRetryAfterSeconds?: number;
  /** The Entra ID applications it accepts (default the emulator's own, `AZURE_EMULATOR_CLIENT`). */
  clients?: (typeof AZURE_EMULATOR_CLIENT)[];
}

type Handler = (p: ArmPath, req: LoopbackRequest) => Answer;
const SEG = '([^/]+)';
const ARM = `^/subscriptions/${SEG}`;
const RG = `${ARM}/resourceGroups/${SEG}/providers/Microsoft\\.EventGrid/topics`;
/** Routes: method, path pattern, operation name (the path's groups fill {@link ArmPath} in order). */
const ROUTES: [string, RegExp, AzureOperation, (keyof ArmPath)[]][] = [
  [
    'GET',
    new RegExp(`${ARM}/providers/Microsoft\\.EventGrid/topics$`, 'i'),
    'Topics_ListBySubscription',
    ['subscriptionId'],
  ],
  ['GET', new RegExp(`${RG}$`, 'i'), 'Topics_ListByResourceGroup', ['subscriptionId', 'resourceGroup']],
  [
    'PUT',
    new RegExp(`${RG}/${SEG}$`, 'i'),
    'Topics_CreateOrUpdate',
    ['subscriptionId', 'resourceGroup', 'topic'],
  ],
  ['GET', new RegExp(`${RG}/${SEG}$`, 'i'), 'Topics_Get', ['subscriptionId', 'resourceGroup', 'topic']],
  ['PATCH', new RegExp(`${RG}/${SEG}$`, 'i'), 'Topics_Update', ['subscriptionId', 'resourceGroup', 'topic']],
  ['DELETE', new RegExp(`${RG}/${SEG}$`, 'i'), 'Topics_Delete', ['subscriptionId', 'resourceGroup', 'topic']],
  [
    'POST',
    new RegExp(`${RG}/${SEG}/listKeys$`, 'i'),
    'Topics_ListSharedAccessKeys',
    ['subscriptionId', 'resourceGroup', 'topic'],
  ],
  [
    'GET',
    new RegExp(`${RG}/${SEG}/eventSubscriptions$`, 'i'),
    'TopicEventSubscriptions_List',
    ['subscriptionId', 'resourceGroup', 'topic'],
  ],
  ...(['PUT', 'GET', 'PATCH', 'DELETE'] as const).map(
    (m): [string, RegExp, AzureOperation, (keyof ArmPath)[]] => [
      m,
      new RegExp(`${RG}/${SEG}/eventSubscriptions/${SEG}$`, 'i'),
      (
        {
          PUT: 'TopicEventSubscriptions_CreateOrUpdate',
          GET: 'TopicEventSubscriptions_Get',
          PATCH: 'TopicEventSubscriptions_Update',
          DELETE: 'TopicEventSubscriptions_Delete',
        } as const
      )[m],
      ['subscriptionId', 'resourceGroup', 'topic', 'eventSubscription'],
    ],
  ),
  [
    'POST',
    new RegExp(`${RG}/${SEG}/eventSubscriptions/${SEG}/getFullUrl$`, 'i'),
    'TopicEventSubscriptions_GetFullUrl',
    ['subscriptionId', 'resourceGroup', 'topic', 'eventSubscription'],
  ],
];
const OPERATION_STATUS =
  /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.EventGrid\/locations\/[^/]+\/(operationsStatus|operationResults)\/([^/]+)$/i;
const TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const PUBLISH = /^\/eventgrid\/([^/]+)\/([^/]+)\/([^/]+)\/api\/events$/;

/** The emulator. */
export class AzureEmulator extends LoopbackEmulator implements AzureEmulatorScope {
  /** State per Azure subscription id; outside a request, the default subscription's. */
  readonly subscriptions: ScopedState<SubscriptionState>;
  get state(): SubscriptionState {
    return this.subscriptions.current;
  }
  readonly resourceGroups: ReadonlySet<string>;
  readonly entra: EntraEmulator;
  /** Deliveries to WebHooks and the delivery log `trace` reads. */
  readonly delivery = new DeliveryEngine('azure');
  /** Long-running operations by id. */
  readonly operations = new Map<string, Operation>();
  /** Requests received, for exchange-level assertions. */
  readonly received: {
    operation: string;
    method: string;
    path: string;
    headers: LoopbackRequest['headers'];
    body: string;
  }[] = [];
  private readonly handlers: Record<string, Handler>;
  private readonly publisher: ReturnType<typeof eventHandlers>;

  private constructor(private readonly o: AzureEmulatorOptions) {
    super();
    this.resourceGroups = new Set(
      (o.resourceGroups ?? [AZURE_EMULATOR_RESOURCE_GROUP, `${AZURE_EMULATOR_RESOURCE_GROUP}-2`]).map((r) =>
        r.toLowerCase(),
      ),
    );
    this.entra = new EntraEmulator(o.clients ?? [AZURE_EMULATOR_CLIENT], o.tokenTtlSeconds ?? 3599);
    this.subscriptions = new ScopedState(
      () => ({ topics: new Map(), keys: new Map(), eventSubscriptions: new Map(), fullUrls: new Map() }),
      AZURE_EMULATOR_SUBSCRIPTION,
    );
    this.handlers = { ...topicHandlers(this), ...eventSubscriptionHandlers(this) } as Record<string, Handler>;
    this.publisher = eventHandlers(this, this.entra);
  }

  /** Starts an emulator on 127.0.0.1. */
  static async start(options: AzureEmulatorOptions = {}): Promise<AzureEmulator> {
    const emu = new AzureEmulator(options);
    await emu.listen(options.port ?? 0);
    return emu;
  }

  startOperation(finish: Operation['finish']): string {
    const op = newOperation(finish, this.o.operationPolls ?? 1);
    // The operation runs in the subscription scope of the request that started it.
    const scope = this.subscriptions.scope;
    op.finish = () => this.subscriptions.within(scope, finish);
    this.operations.set(op.id, op);
    return op.id;
  }

  protected async handle(req: LoopbackRequest, res: ServerResponse): Promise<void> {
    if (this.delivery.serve(req.url, res)) return;
    const requestId = randomUUID();
    const { operation, run } = this.route(req);
    this.countRequest(operation);
    this.received.push({
      operation,
      method: req.method,
      path: req.url.pathname + req.url.search,
      headers: req.headers,
      body: req.body.toString('utf8'),
    });
    const fault = this.faults.take(operation, req);
    let answer: Answer | undefined;
    let error: ArmError | undefined;
    const commit = () => {
      try {
        answer = run();
      } catch (e) {
        if (!(e instanceof ArmError)) throw e;
        error = e;
      }
    };
    if (await applyTransportFault(fault, res, commit)) return;
    if (fault?.kind === 'error')
      error = new ArmError(fault.status ?? 500, fault.code ?? 'InternalServerError', 'injected fault');
    else commit();
    const ids = { 'x-ms-request-id': requestId, 'x-ms-correlation-request-id': requestId };
    if (error) {
      const retryAfter: Record<string, string> =
        error.status === 429 ? { 'retry-after': String(this.o.throttleRetryAfterSeconds ?? 0) } : {};
      // The token endpoint answers OAuth errors; everything else ARM's error body.
      await sendJson(
        res,
        error.status,
        { error: { code: error.code, message: error.message } },
        { ...ids, ...retryAfter },
        fault,
      );
      return;
    }
    if (answer?.body === undefined) {
      res.writeHead(answer?.status ?? 204, { ...ids, ...answer?.headers });
      res.end();
      return;
    }
    await sendJson(res, answer.status, answer.body, { ...ids, ...answer.headers }, fault);
  }

  /** The operation a request is, and how to answer it (throws ArmError inside `run`). */
  private route(req: LoopbackRequest): { operation: string; run: () => Answer } {
    const path = req.url.pathname;
    const token = TOKEN.exec(path);
    if (token && req.method === 'POST')
      return { operation: 'Token', run: () => this.entra.token(decodeURIComponent(token[1]!), req) };
    const pub = PUBLISH.exec(path);
    if (pub && req.method === 'POST') {
      const [, sub, rg, topic] = pub.map((s) => decodeURIComponent(s));
      return {
        operation: 'PublishCloudEvents',
        run: () => this.subscriptions.within(sub!, () => this.publisher.publish(sub!, rg!, topic!, req)),
      };
    }
    const status = OPERATION_STATUS.exec(path);
    if (status && req.method === 'GET')
      return {
        operation: 'OperationStatus',
        run: () => this.arm(req, status[1]!, () => this.poll(status[3]!, status[2] === 'operationResults')),
      };
    for (const [method, pattern, operation, names] of ROUTES) {
      const m = pattern.exec(path);
      if (!m || method !== req.method) continue;
      const p = Object.fromEntries(
        names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]),
      ) as unknown as ArmPath;
      return {
        operation,
        run: () => this.arm(req, p.subscriptionId, () => this.handlers[operation]!(p, req), p.resourceGroup),
      };
    }
    return {
      operation: 'Unknown',
      run: () => {
        throw new ArmError(404, 'NoRegisteredProviderFound', `No route for ${req.method} ${path}.`);
      },
    };
  }

  /** An ARM call: bearer token, api-version, subscription and resource group checked first. */
  private arm(req: LoopbackRequest, sub: string, fn: () => Answer, rg?: string): Answer {
    this.entra.authorize(req, AUDIENCES.arm);
    if (!req.url.searchParams.get('api-version'))
      throw new ArmError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    if (![AZURE_EMULATOR_SUBSCRIPTION, AZURE_EMULATOR_SUBSCRIPTION_2].includes(sub))
      throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    if (rg !== undefined && !this.resourceGroups.has(rg.toLowerCase()))
      throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    return this.subscriptions.within(sub, fn);
  }

  /** One poll of a long-running operation. */
  private poll(id: string, result: boolean): Answer {
    const op = this.operations.get(id);
    if (!op) throw new ArmError(404, 'OperationNotFound', `The operation '${id}' was not found.`);
    if (!op.done) {
      if (op.polls > 0) op.polls--;
      else {
        const r = op.finish();
        if (r !== 'pending') op.done = r ? { status: 'Failed', error: r } : { status: 'Succeeded' };
      }
    }
    if (result)
      return op.done
        ? { status: op.done.status === 'Succeeded' ? 204 : 400 }
        : { status: 202, headers: { 'retry-after': '0' } };
    return {
      status: 200,
      body: {
        id,
        name: id,
        status: op.done?.status ?? 'InProgress',
        startTime: op.startTime,
        ...(op.done ? { endTime: new Date().toISOString() } : {}),
        ...(op.done?.error ? { error: op.done.error } : {}),
      },
      ...(op.done ? {} : { headers: { 'retry-after': '0' } }),
    };
  }
}
