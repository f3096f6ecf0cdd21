/**
 * A loopback Tencent EventBridge (API 3.0, 2021-04-16): POST JSON, TC3 signatures and the
 * 5-minute timestamp window verified, documented name rules, paging, the 20 requests/s limit and
 * documented error bodies. State lives in memory. It must never listen beyond 127.0.0.1.
 */
import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  applyTransportFault,
  LoopbackEmulator,
  type LoopbackRequest,
  randomId,
  sendJson,
} from '../../core/loopback.js';
import { parseTc3Authorization, Tc3Signer, type TencentCredentials, tc3Date } from './auth.js';
import { TENCENT_API_VERSION, TENCENT_MAX_LIMIT } from './client.js';
import { matchesEventPattern, type TencentEventPattern, validateEventPattern } from './routing.js';

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

class TcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Params = Record<string, unknown>;
type Row = Record<string, unknown>;

// EventBusName / RuleName: 2-60 letters, digits, underscores and hyphens; starts with a letter; ends with a letter or digit.
const NAME_RULE = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

const isoNow = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

/** The emulator. */
export class TencentEmulator extends LoopbackEmulator {
  readonly buses = new Map<string, Row>();
  readonly rules = new Map<string, Row>();
  readonly targets = new Map<string, Row>();
  readonly connections = new Map<string, Row>();
  readonly transformations = new Map<string, Row & { Transformations: unknown[] }>();
  private readonly windows = new Map<string, { second: number; count: number }>();
  private readonly signer = new Tc3Signer();
  private readonly credentials: TencentCredentials[];
  private readonly now: () => number;
  private readonly rateLimit: number;
  private readonly connectionReadyMs: number;

  private constructor(options: TencentEmulatorOptions) {
    super();
    this.credentials = options.credentials ?? [TENCENT_EMULATOR_CREDENTIALS];
    this.now = options.now ?? Date.now;
    this.rateLimit = options.rateLimitPerSecond ?? 20;
    this.connectionReadyMs = options.connectionReadyMs ?? 100;
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
    const requestId = crypto.randomUUID();
    const action = String(req.headers['x-tc-action'] ?? '');
    this.countRequest(action);
    const fault = this.faults.take(action);
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
    else commit();
    // The Date header comes from the emulator's clock, so clients can measure their skew.
    const headers = { date: new Date(this.now()).toUTCString() };
    if (error) {
      sendJson(
        res,
        200,
        { Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId } },
        headers,
      );
      return;
    }
    sendJson(res, 200, { Response: { ...result, RequestId: requestId } }, headers);
  }

  private authenticate(req: LoopbackRequest): void {
    const auth = parseTc3Authorization(req.headers.authorization);
    if (!auth)
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        'Authorization in the request header is invalid.',
      );
    const creds = this.credentials.find((c) => c.secretId === auth.secretId);
    if (!creds)
      throw new TcError(
        'AuthFailure.SecretIdNotFound',
        'The SecretId is not found, please ensure that your SecretId is correct.',
      );
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (!Number.isInteger(timestamp))
      throw new TcError('MissingParameter', 'The parameter `X-TC-Timestamp` is missing.');
    if (Math.abs(this.now() / 1000 - timestamp) > 300) {
      throw new TcError(
        'AuthFailure.SignatureExpire',
        'Signature expired. Timestamp and server time cannot differ by more than five minutes.',
      );
    }
    if (auth.date !== tc3Date(timestamp) || auth.signedHeaders !== 'content-type;host') {
      throw new TcError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    const host = String(req.headers.host ?? '');
    // The official SDK signs the hostname without the port; a client signing the Host header keeps it.
    const candidates = new Set([host, host.replace(/:\d+$/, '')]);
    const expected = [...candidates].map(
      (h) =>
        this.signer.sign({
          secretId: creds.secretId,
          secretKey: creds.secretKey,
          service: auth.service,
          host: h,
          contentType: String(req.headers['content-type'] ?? ''),
          payload: req.body,
          timestamp,
        }).signature,
    );
    const given = Buffer.from(auth.signature);
    if (!expected.some((e) => timingSafeEqual(Buffer.from(e), given))) {
      throw new TcError(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      );
    }
    if (creds.token !== undefined && req.headers['x-tc-token'] !== creds.token) {
      throw new TcError('AuthFailure.TokenFailure', 'Token error.');
    }
  }

  private throttle(action: string): void {
    const second = Math.floor(this.now() / 1000);
    const w = this.windows.get(action);
    if (!w || w.second !== second) this.windows.set(action, { second, count: 1 });
    else if (++w.count > this.rateLimit) {
      throw new TcError(
        'RequestLimitExceeded',
        'Your current request times equals to `20` in a second, which exceeds the frequency limit.',
      );
    }
  }

  private dispatch(req: LoopbackRequest, action: string): Row {
    if (req.method !== 'POST')
      throw new TcError('UnsupportedProtocol', 'Only POST is supported by this emulator.');
    this.authenticate(req);
    if (req.headers['x-tc-version'] !== TENCENT_API_VERSION)
      throw new TcError('NoSuchVersion', 'The API version does not exist.');
    const handler = this.actions[action];
    if (!handler) throw new TcError('InvalidAction', `The API ${action} does not exist.`);
    this.throttle(action);
    let params: Params;
    try {
      params = JSON.parse(req.body.toString('utf8') || '{}') as Params;
    } catch {
      throw new TcError('InvalidParameter.Payload', 'Payload does not conform to the specification.');
    }
    return handler(params);
  }

  private required(p: Params, ...names: string[]): void {
    for (const n of names) {
      if (p[n] === undefined || p[n] === null || p[n] === '')
        throw new TcError('MissingParameter', `The parameter \`${n}\` is missing.`);
    }
  }

  private page(p: Params, rows: Row[]): { TotalCount: number; items: Row[] } {
    const limit = p.Limit === undefined ? 20 : Number(p.Limit);
    const offset = p.Offset === undefined ? 0 : Number(p.Offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > TENCENT_MAX_LIMIT) {
      throw new TcError(
        'InvalidParameterValue.Limit',
        'The `Limit` value does not conform to the specification.',
      );
    }
    if (!Number.isInteger(offset) || offset < 0)
      throw new TcError(
        'InvalidParameterValue.Offset',
        'The `Offset` value does not conform to the specification.',
      );
    if (p.OrderBy !== undefined && p.OrderBy !== 'AddTime' && p.OrderBy !== 'ModTime') {
      throw new TcError(
        'InvalidParameterValue.OrderBy',
        'The `OrderBy` value does not conform to the specification.',
      );
    }
    if (p.Order !== undefined && p.Order !== 'ASC' && p.Order !== 'DESC') {
      throw new TcError(
        'InvalidParameterValue.Order',
        'The `Order` value does not conform to the specification.',
      );
    }
    const sorted = [...rows];
    if (p.Order === 'DESC') sorted.reverse();
    return { TotalCount: rows.length, items: sorted.slice(offset, offset + limit) };
  }

  private bus(p: Params): Row {
    this.required(p, 'EventBusId');
    const bus = this.buses.get(String(p.EventBusId));
    if (!bus)
      throw new TcError(
        'ResourceNotFound.EventBus',
        'The specified event bus was not found. Please create it and try again.',
      );
    return bus;
  }

  private rule(p: Params): Row {
    this.bus(p);
    this.required(p, 'RuleId');
    const rule = this.rules.get(String(p.RuleId));
    if (!rule || rule.EventBusId !== p.EventBusId)
      throw new TcError('ResourceNotFound.Rule', 'The specified `Rule` was not found.');
    return rule;
  }

  private connection(p: Params): Row {
    this.bus(p);
    const c = this.connections.get(String(p.ConnectionId));
    if (!c || c.EventBusId !== p.EventBusId) {
      throw new TcError('ResourceNotFound.Connection', 'The specified `Connection` was not found.');
    }
    return c;
  }

  private transformation(p: Params): Row & { Transformations: unknown[] } {
    const rule = this.rule(p);
    const t = this.transformations.get(String(p.TransformationId));
    if (!t || t.RuleId !== rule.RuleId) {
      throw new TcError(
        'ResourceNotFound.Transformation',
        'The specified task is not found. Please check and try again.',
      );
    }
    return t;
  }

  /** A TargetDescription/ConnectionDescription whose ResourceDescription is a six-segment QCS string. */
  private qcsDescription(value: unknown, field: 'TargetDescription' | 'ConnectionDescription'): Row {
    const desc = value as Row | undefined;
    if (typeof desc?.ResourceDescription !== 'string' || !desc.ResourceDescription.startsWith('qcs::')) {
      throw new TcError(
        `InvalidParameterValue.${field}`,
        `The \`${field}\` value does not conform to the specification.`,
      );
    }
    return desc;
  }

  private checkName(value: unknown, code: string, field: string): void {
    if (typeof value !== 'string' || !NAME_RULE.test(value)) {
      throw new TcError(
        code,
        `The value of \`${field}\` is invalid: 2-60 letters, digits, underscores and hyphens, starting with a letter and ending with a letter or digit.`,
      );
    }
  }

  private checkDescription(value: unknown): void {
    if (value !== undefined && (typeof value !== 'string' || value.length > 200)) {
      throw new TcError(
        'InvalidParameterValue.Description',
        'The `Description` value does not conform to the specification (up to 200 characters).',
      );
    }
  }

  /** An EventPattern per the Event Pattern page (routing.ts validates it); throws `code` when not. */
  private checkPattern(value: unknown, code = 'InvalidParameterValue.EventPattern'): TencentEventPattern {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(value));
    } catch {
      parsed = undefined;
    }
    const problems = validateEventPattern(parsed);
    if (problems.length)
      throw new TcError(
        code,
        `The \`EventPattern\` value does not conform to the specification: ${problems.join('; ')}`,
      );
    return parsed as TencentEventPattern;
  }

  private connectionView(c: Row): Row {
    const ready = this.now() - Number(c._created) >= this.connectionReadyMs;
    const { _created, ...rest } = c;
    return { ...rest, Status: ready ? 'Active' : 'Creating' };
  }

  private readonly actions: Record<string, (p: Params) => Row> = {
    CreateEventBus: (p) => {
      this.required(p, 'EventBusName');
      this.checkName(p.EventBusName, 'InvalidParameterValue.EventBusName', 'EventBusName');
      this.checkDescription(p.Description);
      const id = `eb-${randomId()}`;
      const t = isoNow(this.now());
      this.buses.set(id, {
        EventBusId: id,
        EventBusName: p.EventBusName,
        Description: p.Description ?? '',
        SaveDays: p.SaveDays ?? null,
        EnableStore: p.EnableStore ?? false,
        LinkMode: 'Disorder',
        Type: 'Custom',
        PayMode: '',
        ClsLogsetId: '',
        ClsTopicId: '',
        LogTopicId: null,
        AddTime: t,
        ModTime: t,
      });
      return { EventBusId: id };
    },
    GetEventBus: (p) => ({ ...this.bus(p) }),
    ListEventBuses: (p) => {
      const { TotalCount, items } = this.page(p, [...this.buses.values()]);
      return {
        TotalCount,
        EventBuses: items.map(
          ({ SaveDays, EnableStore, LinkMode, ClsLogsetId, ClsTopicId, LogTopicId, ...b }) => b,
        ),
      };
    },
    UpdateEventBus: (p) => {
      const bus = this.bus(p);
      if (p.EventBusName !== undefined)
        this.checkName(p.EventBusName, 'InvalidParameterValue.EventBusName', 'EventBusName');
      this.checkDescription(p.Description);
      for (const k of ['Description', 'EventBusName', 'SaveDays', 'LogTopicId', 'EnableStore'])
        if (p[k] !== undefined) bus[k] = p[k];
      bus.ModTime = isoNow(this.now());
      return {};
    },
    DeleteEventBus: (p) => {
      const bus = this.bus(p);
      const busy =
        [...this.rules.values()].some((r) => r.EventBusId === bus.EventBusId) ||
        [...this.connections.values()].some((c) => c.EventBusId === bus.EventBusId);
      if (busy)
        throw new TcError(
          'ResourceInUse.EventBus',
          'Failed to delete the event bus. Please first delete all rules, connectors and archives of it.',
        );
      this.buses.delete(String(bus.EventBusId));
      return {};
    },
    CreateRule: (p) => {
      this.bus(p);
      this.required(p, 'RuleName', 'EventPattern');
      this.checkName(p.RuleName, 'InvalidParameterValue.RuleName', 'RuleName');
      this.checkDescription(p.Description);
      this.checkPattern(p.EventPattern);
      const id = `rule-${randomId()}`;
      const t = isoNow(this.now());
      this.rules.set(id, {
        RuleId: id,
        RuleName: p.RuleName,
        EventBusId: p.EventBusId,
        EventPattern: p.EventPattern,
        Enable: p.Enable ?? true,
        Description: p.Description ?? '',
        Status: 'Active',
        AddTime: t,
        ModTime: t,
      });
      return { RuleId: id };
    },
    GetRule: (p) => ({ ...this.rule(p) }),
    ListRules: (p) => {
      this.bus(p);
      const rows = [...this.rules.values()].filter((r) => r.EventBusId === p.EventBusId);
      const { TotalCount, items } = this.page(p, rows);
      // The documented Rule type of ListRules has no EventPattern.
      return {
        TotalCount,
        Rules: items.map(({ EventPattern, ...r }) => ({ ...r, Targets: null, DeadLetterConfig: null })),
      };
    },
    UpdateRule: (p) => {
      const rule = this.rule(p);
      if (p.RuleName !== undefined) this.checkName(p.RuleName, 'InvalidParameterValue.RuleName', 'RuleName');
      if (p.EventPattern !== undefined) this.checkPattern(p.EventPattern);
      this.checkDescription(p.Description);
      for (const k of ['Enable', 'Description', 'EventPattern', 'RuleName'])
        if (p[k] !== undefined) rule[k] = p[k];
      rule.ModTime = isoNow(this.now());
      return {};
    },
    DeleteRule: (p) => {
      const rule = this.rule(p);
      if ([...this.targets.values()].some((t) => t.RuleId === rule.RuleId)) {
        throw new TcError(
          'ResourceInUse.Rule',
          'There are targets under the rule, so it cannot be deleted. Please delete all targets and try again.',
        );
      }
      this.rules.delete(String(rule.RuleId));
      return {};
    },
    // CheckRule (SDK CheckRuleRequest: Event, EventPattern): a match answers only a RequestId; a
    // mismatch is FailedOperation.ErrorFilter, as the error table says.
    CheckRule: (p) => {
      this.required(p, 'Event', 'EventPattern');
      const pattern = this.checkPattern(p.EventPattern, 'InvalidParameterValue.InvalidPattern');
      let event: unknown;
      try {
        event = JSON.parse(String(p.Event));
      } catch {
        event = undefined;
      }
      if (typeof event !== 'object' || event === null || Array.isArray(event))
        throw new TcError('InvalidParameter', 'The `Event` value must be an event as a JSON object.');
      const result = matchesEventPattern(pattern, event as Row);
      if (!result.matched)
        throw new TcError(
          'FailedOperation.ErrorFilter',
          `The rule does not match with the event: ${result.reason}`,
        );
      return {};
    },
    CreateTarget: (p) => {
      this.rule(p);
      this.required(p, 'Type', 'TargetDescription');
      const desc = this.qcsDescription(p.TargetDescription, 'TargetDescription');
      const id = `target-${randomId()}`;
      this.targets.set(id, {
        TargetId: id,
        RuleId: p.RuleId,
        EventBusId: p.EventBusId,
        Type: p.Type,
        TargetDescription: desc,
        EnableBatchDelivery: false,
        BatchEventCount: 1,
        BatchTimeout: 1,
      });
      return { TargetId: id };
    },
    ListTargets: (p) => {
      this.rule(p);
      const { TotalCount, items } = this.page(
        p,
        [...this.targets.values()].filter((t) => t.RuleId === p.RuleId),
      );
      return { TotalCount, Targets: items };
    },
    UpdateTarget: (p) => {
      this.rule(p);
      const target = this.targets.get(String(p.TargetId));
      if (!target) throw new TcError('ResourceNotFound.Target', 'The specified `Target` was not found.');
      for (const k of ['EnableBatchDelivery', 'BatchTimeout', 'BatchEventCount'])
        if (p[k] !== undefined) target[k] = p[k];
      return {};
    },
    DeleteTarget: (p) => {
      this.rule(p);
      if (!this.targets.delete(String(p.TargetId)))
        throw new TcError('ResourceNotFound.Target', 'The specified `Target` was not found.');
      return {};
    },
    CreateConnection: (p) => {
      this.bus(p);
      this.required(p, 'ConnectionName', 'ConnectionDescription');
      if (typeof p.ConnectionName !== 'string' || p.ConnectionName.length > 60) {
        throw new TcError(
          'InvalidParameterValue.ConnectionName',
          'The value of `ConnectionName` is invalid.',
        );
      }
      this.checkDescription(p.Description);
      const desc = this.qcsDescription(p.ConnectionDescription, 'ConnectionDescription');
      const id = `connection-${randomId()}`;
      const t = isoNow(this.now());
      this.connections.set(id, {
        ConnectionId: id,
        ConnectionName: p.ConnectionName,
        EventBusId: p.EventBusId,
        ConnectionDescription: { APIGWParams: null, ...desc },
        Description: p.Description ?? '',
        Enable: p.Enable ?? false,
        Type: p.Type ?? 'tdmq',
        AddTime: t,
        ModTime: t,
        _created: this.now(),
      });
      return { ConnectionId: id };
    },
    ListConnections: (p) => {
      this.bus(p);
      const rows = [...this.connections.values()].filter((c) => c.EventBusId === p.EventBusId);
      const { TotalCount, items } = this.page(p, rows);
      return { TotalCount, Connections: items.map((c) => this.connectionView(c)) };
    },
    UpdateConnection: (p) => {
      const c = this.connection(p);
      this.checkDescription(p.Description);
      for (const k of ['Enable', 'Description', 'ConnectionName']) if (p[k] !== undefined) c[k] = p[k];
      c.ModTime = isoNow(this.now());
      return {};
    },
    DeleteConnection: (p) => {
      this.connections.delete(String(this.connection(p).ConnectionId));
      return {};
    },
    CheckTransformation: (p) => {
      this.required(p, 'Input', 'Transformations');
      return { Output: String(p.Input) };
    },
    CreateTransformation: (p) => {
      this.rule(p);
      this.required(p, 'Transformations');
      const list = p.Transformations as unknown[];
      if (!Array.isArray(list) || list.length !== 1) {
        throw new TcError('InvalidParameterValue.Transformations', 'Only one transformation is supported.');
      }
      const id = `tsfm-${randomId()}`;
      this.transformations.set(id, {
        TransformationId: id,
        RuleId: p.RuleId,
        EventBusId: p.EventBusId,
        Transformations: list,
      });
      return { TransformationId: id };
    },
    GetTransformation: (p) => ({ Transformations: this.transformation(p).Transformations }),
    UpdateTransformation: (p) => {
      this.transformation(p).Transformations = p.Transformations as unknown[];
      return {};
    },
    DeleteTransformation: (p) => {
      this.transformations.delete(String(this.transformation(p).TransformationId));
      return {};
    },
  };
}
