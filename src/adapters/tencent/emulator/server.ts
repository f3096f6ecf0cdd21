/**
 * The Tencent emulator's server: its state per region, routing of a request to its action's
 * handler after the signature, version and rate-limit checks, injected faults and read lag.
 */
import { DeliveryEngine } from '../../../testing/delivery.js';
import type { ServerResponse } from 'node:http';
import {
  applyTransportFault,
  LoopbackEmulator,
  type LoopbackRequest,
  ScopedState,
  sendJson,
} from '../../../testing/loopback.js';
import type { TencentCredentials } from '../auth.js';
import { TENCENT_API_VERSION } from '../client.js';
import { busActions } from './buses.js';
import { type Actions, type EmulatorContext, type Params, type Row, TcError } from './common.js';
import { connectionActions } from './connections.js';
import { eventActions } from './events.js';
import { type LogEntry, logActions } from './logs.js';
import { platformActions } from './platform.js';
import { ruleActions } from './rules.js';
import { TencentSignatures } from './signatures.js';
import { TAG_API_VERSION, TAG_SERVICE, tagActions } from './tags.js';
import { targetActions } from './targets.js';
import { transformationActions } from './transformations.js';

/** Credentials the emulator accepts by default (also what `polybus demo` uses). */
export const TENCENT_EMULATOR_CREDENTIALS: TencentCredentials = {
  secretId: 'AKIDpolybusEmulator0000000000000000',
  secretKey: 'polybus-emulator-secret-key-0000',
};

/** Options of {@link TencentEmulator.start}. */
export interface TencentEmulatorOptions {
  credentials?: TencentCredentials[];
  port?: number;
  /** The server's clock (ms); shift it to simulate client clock skew. */
  now?: () => number;
  /** Requests per second per action (documented: 20). */
  rateLimitPerSecond?: number;
  /** How long a connector stays `Creating` before `Active`. */
  connectionReadyMs?: number;
}

/** The action of a request, before verification: the X-TC-Action header, else the v1 `Action` parameter. */
function requestAction(req: LoopbackRequest): string {
  const header = req.headers['x-tc-action'];
  if (header) return String(header);
  const fromQuery = req.url.searchParams.get('Action');
  if (fromQuery) return fromQuery;
  if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return new URLSearchParams(req.body.toString('utf8')).get('Action') ?? '';
  return '';
}

/** Region assumed when a request names none (Region is optional for EventBridge actions). */
const DEFAULT_REGION = 'ap-guangzhou';
/** Documented frequency limits that differ from the 20/s of the management actions. */
const ACTION_RATE_LIMITS: Record<string, number> = {
  PutEvents: 1000,
  PublishEvent: 1000,
  // The tag service's documented limit for this read (tag API reference).
  DescribeResourceTagsByResourceIds: 100,
};

/** The emulator. */
export class TencentEmulator extends LoopbackEmulator {
  /** State per region (`X-TC-Region`), as the service keeps it; outside a request, the default region's. */
  readonly regions = new ScopedState(
    () => ({
      buses: new Map<string, Row>(),
      rules: new Map<string, Row>(),
      targets: new Map<string, Row>(),
      connections: new Map<string, Row>(),
      transformations: new Map<string, Row & { Transformations: unknown[] }>(),
      eventLog: new Map<string, LogEntry[]>(),
    }),
    DEFAULT_REGION,
  );
  get buses() {
    return this.regions.current.buses;
  }
  get rules() {
    return this.regions.current.rules;
  }
  get targets() {
    return this.regions.current.targets;
  }
  get connections() {
    return this.regions.current.connections;
  }
  get transformations() {
    return this.regions.current.transformations;
  }
  /** Per bus, the events received through PutEvents/PublishEvent, oldest first (what SearchLog reads). */
  get eventLog() {
    return this.regions.current.eventLog;
  }
  /** Verified requests per action with their parameters, for exchange-level assertions. */
  readonly received: { action: string; params: Params }[] = [];
  /** Tags per tag-service resource name (`qcs::eb:...`, which names the region). */
  readonly resourceTags = new Map<string, Map<string, string>>();
  private readonly windows = new Map<string, { second: number; count: number }>();
  private readonly signatures: TencentSignatures;
  private readonly now: () => number;
  private readonly rateLimit: number;
  private readonly connectionReadyMs: number;
  /** The tag-service actions (requests signed for `tag`). */
  private readonly tagActions: Actions;
  /** The EventBridge actions, from each resource's file. */
  private readonly actions: Actions;

  private constructor(options: TencentEmulatorOptions) {
    super();
    this.signatures = new TencentSignatures(options.credentials ?? [TENCENT_EMULATOR_CREDENTIALS], () =>
      this.now(),
    );
    this.now = options.now ?? Date.now;
    this.rateLimit = options.rateLimitPerSecond ?? 20;
    this.connectionReadyMs = options.connectionReadyMs ?? 100;
    const emu = this.context();
    this.tagActions = tagActions(emu);
    this.actions = {
      ...busActions(emu),
      ...ruleActions(emu),
      ...targetActions(emu),
      ...connectionActions(emu),
      ...transformationActions(emu),
      ...eventActions(emu),
      ...logActions(emu),
      ...platformActions(),
    };
  }

  /**
   * What the action handlers are given: the state of the region of the request being served (read
   * at each use, as the getters above), the tags, the delivery log and the clock.
   */
  private context(): EmulatorContext {
    const current = () => this.regions.current;
    return {
      get buses() {
        return current().buses;
      },
      get rules() {
        return current().rules;
      },
      get targets() {
        return current().targets;
      },
      get connections() {
        return current().connections;
      },
      get transformations() {
        return current().transformations;
      },
      get eventLog() {
        return current().eventLog;
      },
      resourceTags: this.resourceTags,
      delivery: this.delivery,
      connectionReadyMs: this.connectionReadyMs,
      now: () => this.now(),
    };
  }

  /** Starts an emulator on 127.0.0.1. */
  static async start(options: TencentEmulatorOptions = {}): Promise<TencentEmulator> {
    const emu = new TencentEmulator(options);
    await emu.listen(options.port ?? 0);
    return emu;
  }

  /** Forgets the per-second request counts (between tests). */
  resetRateLimits(): void {
    this.windows.clear();
  }

  protected async handle(req: LoopbackRequest, res: ServerResponse): Promise<void> {
    if (this.delivery.serve(req.url, res)) return; // emulator-only delivery log read (issue 17)
    const requestId = crypto.randomUUID();
    const action = requestAction(req);
    this.countRequest(action);
    const fault = this.faults.take(action, req);
    let result: Row | undefined;
    let error: TcError | undefined;
    const commit = () => {
      try {
        result = this.dispatch(req, action);
      } catch (e) {
        if (!(e instanceof TcError)) throw e;
        error = e;
      }
    };
    if (await applyTransportFault(fault, res, commit)) return;
    if (fault?.kind === 'error') error = new TcError(fault.code ?? 'InternalError', 'injected fault');
    else if ((error = this.lagged(req, action)) === undefined) commit();
    // read lag follows a write that creates: the new ids (EventBusId, RuleId...) are hidden
    if (fault?.kind === 'invisible' && result && action.startsWith('Create'))
      this.readLag.hide(
        Object.entries(result).flatMap(([k, v]) => (k.endsWith('Id') && typeof v === 'string' ? [v] : [])),
        fault.reads ?? 1,
      );
    if (result && action.startsWith('List')) result = this.readLag.filterLists(result);
    // The Date header comes from the emulator's clock, so clients can measure their skew.
    const headers = { date: new Date(this.now()).toUTCString() };
    if (error) {
      await sendJson(
        res,
        200,
        { Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId } },
        headers,
        fault,
      );
      return;
    }
    await sendJson(res, 200, { Response: { ...result, RequestId: requestId } }, headers, fault);
  }

  /** Under read-after-write lag, a read naming a resource not yet visible answers its NotFound. */
  private lagged(req: LoopbackRequest, action: string): TcError | undefined {
    if (!this.readLag.active || !/^(Get|List|Describe)/.test(action)) return undefined;
    let params: Params;
    try {
      params = JSON.parse(req.body.toString('utf8') || '{}') as Params;
    } catch {
      return undefined;
    }
    const noun: Record<string, string> = {
      EventBusId: 'EventBus',
      RuleId: 'Rule',
      ConnectionId: 'Connection',
      TargetId: 'Target',
      TransformationId: 'Transformation',
    };
    const hidden = Object.keys(noun).find((k) => this.readLag.hides([params[k]]));
    return hidden
      ? new TcError(`ResourceNotFound.${noun[hidden]}`, `The specified \`${noun[hidden]}\` was not found.`)
      : undefined;
  }

  private throttle(action: string): void {
    const second = Math.floor(this.now() / 1000);
    const w = this.windows.get(action);
    if (!w || w.second !== second) this.windows.set(action, { second, count: 1 });
    else {
      const limit = ACTION_RATE_LIMITS[action] ?? this.rateLimit;
      if (++w.count > limit)
        throw new TcError(
          'RequestLimitExceeded',
          `Your current request times equals to \`${limit}\` in a second, which exceeds the frequency limit.`,
        );
    }
  }

  private dispatch(req: LoopbackRequest, action: string): Row {
    if (req.method !== 'POST' && req.method !== 'GET')
      throw new TcError(
        'UnsupportedProtocol',
        'HTTP(S) request protocol error; only GET and POST requests are supported.',
      );
    const signed: { version: string; params: Params; service?: string } =
      req.headers.authorization !== undefined
        ? this.signatures.verifyTc3(req)
        : this.signatures.verifyV1(req);
    // The tag service shares this emulator: a request signed for `tag` is served by its actions.
    const tag = signed.service === TAG_SERVICE;
    if (signed.version !== (tag ? TAG_API_VERSION : TENCENT_API_VERSION))
      throw new TcError('NoSuchVersion', 'The API version does not exist.');
    this.received.push({ action, params: { ...signed.params } });
    const handler = tag ? this.tagActions[action] : this.actions[action];
    if (!handler) throw new TcError('InvalidAction', `The API ${action} does not exist.`);
    this.throttle(action);
    const region = String(req.headers['x-tc-region'] ?? signed.params.Region ?? DEFAULT_REGION);
    delete signed.params.Region;
    return this.regions.within(region, () => handler(signed.params, { region }));
  }

  // --- Delivery log (issue 17): rule matches with their reason; Tencent has no http target ---

  /** The delivery log: every received event, each rule's verdict and the targets it was routed to. */
  readonly delivery = new DeliveryEngine('tencent');
}
