/**
 * A loopback Tencent EventBridge (API 3.0, 2021-04-16): POST JSON and GET query strings signed with
 * TC3 (scope `eb`, 5-minute window), GET and POST form bodies signed with HmacSHA1/HmacSHA256
 * (signature v1), documented name rules, paging, per-action rate limits, documented error bodies,
 * targets, transformations and a per-bus event log for SearchLog. State lives in memory. It must
 * never listen beyond 127.0.0.1.
 */
import { DeliveryEngine } from '../../../testing/delivery.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  applyTransportFault,
  LoopbackEmulator,
  type LoopbackRequest,
  randomId,
  ScopedState,
  sendJson,
} from '../../../testing/loopback.js';
import { parseTc3Authorization, Tc3Signer, type TencentCredentials, tc3Date } from '../auth.js';
import { TENCENT_API_VERSION, TENCENT_MAX_LIMIT } from '../client.js';
import { runTransformations, TransformationError, type TransformationSpec } from '../transform.js';
import { matchesEventPattern, type TencentEventPattern, validateEventPattern } from '../routing.js';

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

/** The product name a TC3 credential scope must carry: the first label of eb.tencentcloudapi.com. */
const TENCENT_SERVICE = 'eb';
/** The tag service (TC3 service `tag`, API 2018-08-13), served by the same emulator. */
const TAG_SERVICE = 'tag';
const TAG_API_VERSION = '2018-08-13';
/** `qcs::eb:{region}:uin/{uin?}:{eventbusid|ruleid}/{id}`, as the tag service names EventBridge resources. */
const TAG_RESOURCE = /^qcs::eb:([a-z0-9-]+):uin\/\d*:(eventbusid|ruleid)\/(.+)$/;
/** Documented: a POST signed with HmacSHA1/HmacSHA256 may carry up to 1 MB. */
const V1_MAX_POST_BYTES = 1024 * 1024;
/** Signature v1 common parameters (seed 001, "Common parameters for Signature Algorithm v1"), plus the SDK's extras. */
const V1_COMMON_PARAMS = new Set([
  'Action',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'Signature',
  'Version',
  'SignatureMethod',
  'Token',
  'Language',
  'RequestClient',
]);
/**
 * Flattened parameters arrive as strings; the documented Integer and Boolean fields are read back
 * as such (the service reads them by the action's types).
 */
const INTEGER_FIELDS = new Set([
  'Limit',
  'Offset',
  'SaveDays',
  'BatchTimeout',
  'BatchEventCount',
  'StartTime',
  'EndTime',
  'Page',
  'Time',
  'RetryInterval',
  'MaxRetryAttempts',
]);
const BOOLEAN_FIELDS = new Set(['Enable', 'EnableStore', 'EnableBatchDelivery']);

function coerce(key: string, value: string): unknown {
  if (INTEGER_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Rebuilds nested parameters from flattened names: `EventList.0.Source` -> `{ EventList: [{ Source }] }`. */
export function unflatten(flat: Iterable<[string, string]>): Params {
  const root: Params = {};
  for (const [name, value] of flat) {
    const path = name.split('.');
    let node: Record<string, unknown> = root;
    path.forEach((segment, i) => {
      if (i === path.length - 1) {
        node[segment] = coerce(segment, value);
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[i + 1]!);
      node[segment] ??= nextIsIndex ? [] : {};
      node = node[segment] as Record<string, unknown>;
    });
  }
  return root;
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

/** The official SDK signs the hostname without the port; a client signing the Host header keeps it. */
function hostCandidates(req: LoopbackRequest): string[] {
  const host = String(req.headers.host ?? '');
  return [...new Set([host, host.replace(/:\d+$/, '')])];
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

/** One received event, as SearchLog answers it (SearchLogResult) plus its receipt time in ms. */
export interface LogEntry {
  time: number;
  Timestamp: string;
  Message: string;
  Source: string;
  Type: string;
  RuleIds: string;
  Subject: string;
  Region: string;
  Status: string;
}
type LogField = Exclude<keyof LogEntry, 'time'>;
const LOG_FIELDS = new Set<LogField>([
  'Timestamp',
  'Message',
  'Source',
  'Type',
  'RuleIds',
  'Subject',
  'Region',
  'Status',
]);

/** LogFilter / LogFilters (seed 001 data types). */
interface LogFilterParam {
  Key?: string;
  Operator?: string;
  Value?: string;
  Type?: string;
  Filters?: LogFilterParam[];
}

const numberOrText = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
/** `like` uses `*` and `%` as wildcards; without one it is a substring test. */
const likeMatches = (value: string, pattern: string) =>
  /[*%]/.test(pattern)
    ? new RegExp(
        `^${pattern
          .split(/[*%]/)
          .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ).test(value)
    : value.includes(pattern);
const inRange = (value: string, range: string) => {
  const [lo, hi] = range.split(',').map((x) => numberOrText(x.trim()));
  const v = numberOrText(value);
  return lo !== undefined && hi !== undefined && v >= lo && v <= hi;
};
/** The documented operators: eq, neq, like, not like, lt, lte, gt, gte, range, norange. */
const LOG_OPERATORS: Record<string, (value: string, arg: string) => boolean> = {
  eq: (v, a) => v === a,
  neq: (v, a) => v !== a,
  like: (v, a) => likeMatches(v, a),
  'not like': (v, a) => !likeMatches(v, a),
  lt: (v, a) => numberOrText(v) < numberOrText(a),
  lte: (v, a) => numberOrText(v) <= numberOrText(a),
  gt: (v, a) => numberOrText(v) > numberOrText(a),
  gte: (v, a) => numberOrText(v) >= numberOrText(a),
  range: (v, a) => inRange(v, a),
  norange: (v, a) => !inRange(v, a),
};

function logConditionMatches(f: LogFilterParam, e: LogEntry): boolean {
  const op = LOG_OPERATORS[String(f.Operator ?? 'eq')];
  if (!op || !f.Key || !LOG_FIELDS.has(f.Key as LogField))
    throw new TcError(
      'InvalidParameterValue.Filters',
      'The `Filter` value does not conform to the specification.',
    );
  const value = f.Key === 'Timestamp' ? String(e.time) : e[f.Key as LogField];
  if (f.Key === 'RuleIds') return e.RuleIds.split(',').some((id) => op(id, String(f.Value ?? '')));
  return op(value, String(f.Value ?? ''));
}

/** A LogFilter: its own condition (when it has a Key) and its Filters, joined by its Type (AND/OR). */
function logFilterMatches(f: LogFilterParam, e: LogEntry): boolean {
  const parts: boolean[] = [];
  if (f.Key !== undefined) parts.push(logConditionMatches(f, e));
  for (const inner of f.Filters ?? []) parts.push(logConditionMatches(inner, e));
  if (parts.length === 0) return true;
  return String(f.Type ?? 'AND').toUpperCase() === 'OR' ? parts.some(Boolean) : parts.every(Boolean);
}

/** Whether a stored rule EventPattern matches an event; an unreadable pattern matches nothing. */
function safeMatch(pattern: unknown, event: unknown): boolean {
  try {
    return matchesEventPattern(
      JSON.parse(String(pattern)) as TencentEventPattern,
      event as Record<string, unknown>,
    ).matched;
  } catch {
    return false;
  }
}

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

  private credentialsFor(secretId: string): TencentCredentials {
    const creds = this.credentials.find((c) => c.secretId === secretId);
    if (!creds)
      throw new TcError(
        'AuthFailure.SecretIdNotFound',
        'The SecretId is not found, please ensure that your SecretId is correct.',
      );
    return creds;
  }

  private checkWindow(timestamp: number, name: string): void {
    if (!Number.isInteger(timestamp))
      throw new TcError('MissingParameter', `The parameter \`${name}\` is missing.`);
    if (Math.abs(this.now() / 1000 - timestamp) > 300) {
      throw new TcError(
        'AuthFailure.SignatureExpire',
        'Signature expired. Timestamp and server time cannot differ by more than five minutes.',
      );
    }
  }

  /**
   * Signature v3 (TC3-HMAC-SHA256). POST carries JSON; GET carries the parameters in the query
   * string (flattened `A.0.B=v`), which is then the CanonicalQueryString, and an empty payload.
   * The credential scope must name this product (`eb`) and the UTC date of X-TC-Timestamp.
   */
  private verifyTc3(req: LoopbackRequest): {
    action: string;
    version: string;
    service: string;
    params: Params;
  } {
    const auth = parseTc3Authorization(req.headers.authorization);
    if (!auth)
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        'Authorization in the request header is invalid.',
      );
    if (auth.service !== TENCENT_SERVICE && auth.service !== TAG_SERVICE) {
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        `Authorization in the request header is invalid: the \`Service\` of its Credential is \`${auth.service}\`, this product is \`${TENCENT_SERVICE}\`.`,
      );
    }
    const creds = this.credentialsFor(auth.secretId);
    const timestamp = Number(req.headers['x-tc-timestamp']);
    this.checkWindow(timestamp, 'X-TC-Timestamp');
    if (auth.date !== tc3Date(timestamp)) {
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        `Authorization in the request header is invalid: the \`Date\` of its Credential (${auth.date}) is not the UTC date of X-TC-Timestamp (${tc3Date(timestamp)}).`,
      );
    }
    // SignedHeaders: at least content-type and host; custom headers may join them (Signature v3).
    const signedNames = auth.signedHeaders.split(';');
    const extraHeaders: Record<string, string> = {};
    for (const name of signedNames) {
      const value = req.headers[name];
      if (name === 'content-type' || name === 'host') continue;
      if (typeof value !== 'string') {
        throw new TcError(
          'AuthFailure.SignatureFailure',
          `The provided credentials could not be validated: the signed header \`${name}\` was not sent.`,
        );
      }
      extraHeaders[name] = value;
    }
    if (!signedNames.includes('content-type') || !signedNames.includes('host')) {
      throw new TcError(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated: SignedHeaders must include content-type and host.',
      );
    }
    const hasExtras = signedNames.length > 2;
    const isGet = req.method === 'GET';
    const canonicalQueryString = isGet ? req.url.search.slice(1) : '';
    const expected = hostCandidates(req).map(
      (h) =>
        this.signer.sign({
          secretId: creds.secretId,
          secretKey: creds.secretKey,
          service: auth.service,
          host: h,
          contentType: String(req.headers['content-type'] ?? ''),
          payload: isGet ? '' : req.body,
          timestamp,
          method: req.method,
          canonicalQueryString,
          ...(hasExtras ? { extraHeaders } : {}),
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
    let params: Params;
    if (isGet) params = unflatten(req.url.searchParams);
    else {
      try {
        params = JSON.parse(req.body.toString('utf8') || '{}') as Params;
      } catch {
        throw new TcError('InvalidParameter.Payload', 'Payload does not conform to the specification.');
      }
    }
    return {
      action: String(req.headers['x-tc-action'] ?? ''),
      version: String(req.headers['x-tc-version'] ?? ''),
      service: auth.service,
      params,
    };
  }

  /**
   * Signature v1 (HmacSHA1 / HmacSHA256): every parameter, the common ones included, in the query
   * string (GET) or an `application/x-www-form-urlencoded` body (POST, up to 1 MB). The string to
   * sign is METHOD + host + `/?` + the parameters sorted by name, `k=v` joined by `&`, values not
   * URL-encoded; the Signature is its Base64 HMAC, SHA256 only when SignatureMethod says HmacSHA256.
   */
  private verifyV1(req: LoopbackRequest): { action: string; version: string; params: Params } {
    if (req.method === 'POST' && req.body.length > V1_MAX_POST_BYTES) {
      throw new TcError(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated because the request exceeds the 1 MB size limit of signature v1; use TC3-HMAC-SHA256.',
      );
    }
    const form = req.method === 'GET' ? req.url.searchParams : new URLSearchParams(req.body.toString('utf8'));
    const flat = new Map<string, string>();
    for (const [k, v] of form) flat.set(k, v);
    const signature = flat.get('Signature');
    if (!signature)
      throw new TcError(
        'AuthFailure.InvalidAuthorization',
        'Authorization in the request header is invalid.',
      );
    for (const name of ['SecretId', 'Timestamp', 'Nonce', 'Action', 'Version']) {
      if (!flat.get(name)) throw new TcError('MissingParameter', `The parameter \`${name}\` is missing.`);
    }
    const creds = this.credentialsFor(flat.get('SecretId')!);
    this.checkWindow(Number(flat.get('Timestamp')), 'Timestamp');
    const algorithm = flat.get('SignatureMethod') === 'HmacSHA256' ? 'sha256' : 'sha1';
    const query = [...flat.keys()]
      .filter((k) => k !== 'Signature')
      .sort()
      .map((k) => `${k}=${flat.get(k)}`)
      .join('&');
    const given = Buffer.from(signature);
    const ok = hostCandidates(req).some((h) => {
      const expected = Buffer.from(
        createHmac(algorithm, creds.secretKey)
          .update(`${req.method}${h}${req.url.pathname}?${query}`)
          .digest('base64'),
      );
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!ok) {
      throw new TcError(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      );
    }
    if (creds.token !== undefined && flat.get('Token') !== creds.token) {
      throw new TcError('AuthFailure.TokenFailure', 'Token error.');
    }
    const business = new URLSearchParams();
    for (const [k, v] of flat) if (!V1_COMMON_PARAMS.has(k)) business.append(k, v);
    const params = unflatten(business);
    if (flat.get('Region')) params.Region = flat.get('Region');
    return { action: flat.get('Action')!, version: flat.get('Version')!, params };
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
      req.headers.authorization !== undefined ? this.verifyTc3(req) : this.verifyV1(req);
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

  /** Targets belong to one rule: another rule's RuleId finds nothing (ResourceNotFound.Target). */
  private target(p: Params): Row {
    const rule = this.rule(p);
    this.required(p, 'TargetId');
    const target = this.targets.get(String(p.TargetId));
    if (!target || target.RuleId !== rule.RuleId)
      throw new TcError(
        'ResourceNotFound.Target',
        'The specified `Target` was not found. Please create it and try again.',
      );
    return target;
  }

  /** BatchTimeout / BatchEventCount: positive integers (InvalidParameterValue.<field>). */
  private checkBatch(p: Params): void {
    for (const field of ['BatchTimeout', 'BatchEventCount']) {
      const v = p[field];
      if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) > 0)) {
        throw new TcError(
          `InvalidParameterValue.${field}`,
          `The \`${field}\` value does not conform to the specification. Please fix it and try again.`,
        );
      }
    }
    if (p.EnableBatchDelivery !== undefined && typeof p.EnableBatchDelivery !== 'boolean') {
      throw new TcError(
        'InvalidParameterValue.TargetDescription',
        'The `TargetDescription` value does not conform to the specification: EnableBatchDelivery is a Boolean.',
      );
    }
  }

  /** The bus a log action reads: SearchLog/DescribeLogTagValue document a bare ResourceNotFound. */
  private logBus(p: Params): Row {
    this.required(p, 'EventBusId');
    const bus = this.buses.get(String(p.EventBusId));
    if (!bus) throw new TcError('ResourceNotFound', 'The resource does not exist.');
    return bus;
  }

  /** StartTime/EndTime (ms), Page (from 1), Limit, Filter: the log entries they select. */
  private selectLog(p: Params): { entries: LogEntry[]; page: number; limit: number } {
    const bus = this.logBus(p);
    this.required(p, 'StartTime', 'EndTime', 'Page', 'Limit');
    for (const field of ['StartTime', 'EndTime', 'Page', 'Limit']) {
      const v = p[field];
      if (!Number.isInteger(v) || (v as number) < (field === 'Page' || field === 'Limit' ? 1 : 0)) {
        throw new TcError(
          field === 'Limit' ? 'InvalidParameterValue.Limit' : 'InvalidParameterValue',
          `The \`${field}\` value does not conform to the specification.`,
        );
      }
    }
    const start = p.StartTime as number;
    const end = p.EndTime as number;
    const filters = (p.Filter ?? []) as LogFilterParam[];
    if (!Array.isArray(filters))
      throw new TcError(
        'InvalidParameterValue.Filters',
        'The `Filter` value does not conform to the specification.',
      );
    const entries = (this.eventLog.get(String(bus.EventBusId)) ?? []).filter(
      (e) => e.time >= start && e.time <= end && filters.every((f) => logFilterMatches(f, e)),
    );
    return { entries, page: p.Page as number, limit: p.Limit as number };
  }

  /** PutEvents / PublishEvent: validates the EventList and appends each event to the bus's log. */
  private receiveEvents(p: Params, region: string): Row {
    const bus = this.bus(p);
    this.required(p, 'EventList');
    const list = p.EventList as Params[];
    if (!Array.isArray(list) || list.length === 0)
      throw new TcError(
        'InvalidParameterValue',
        'The `EventList` value does not conform to the specification.',
      );
    const now = this.now();
    const entries = list.map((event, i): LogEntry => {
      for (const field of ['Source', 'Data']) {
        if (typeof event?.[field] !== 'string' || event[field] === '')
          throw new TcError('MissingParameter', `The parameter \`EventList.${i}.${field}\` is missing.`);
      }
      let data: unknown;
      try {
        data = JSON.parse(String(event.Data));
      } catch {
        throw new TcError(
          'InvalidParameterValue',
          `The \`EventList.${i}.Data\` value does not conform to the specification: a JSON string (application/json;charset=utf-8).`,
        );
      }
      if (event.Time !== undefined && !Number.isInteger(event.Time))
        throw new TcError(
          'InvalidParameterValue',
          `The \`EventList.${i}.Time\` value is a millisecond timestamp.`,
        );
      const cloudEvent = {
        specversion: '1.0',
        id: crypto.randomUUID(),
        type: String(event.Type ?? ''),
        source: String(event.Source),
        subject: String(event.Subject ?? ''),
        time: String(event.Time ?? now),
        region,
        datacontenttype: 'application/json;charset=utf-8',
        data,
      };
      const ruleIds = [...this.rules.values()]
        .filter(
          (r) =>
            r.EventBusId === bus.EventBusId && r.Enable !== false && safeMatch(r.EventPattern, cloudEvent),
        )
        .map((r) => String(r.RuleId));
      this.recordDelivery(String(bus.EventBusId), cloudEvent, ruleIds);
      return {
        time: now,
        Timestamp: isoNow(now),
        Message: JSON.stringify(cloudEvent),
        Source: cloudEvent.source,
        Type: cloudEvent.type,
        RuleIds: ruleIds.join(','),
        Subject: cloudEvent.subject,
        Region: region,
        // A received event no rule matches is dropped; one that matches is routed to its rules.
        Status: ruleIds.length > 0 ? 'Matched' : 'Unmatched',
      };
    });
    const log = this.eventLog.get(String(bus.EventBusId)) ?? [];
    log.push(...entries);
    this.eventLog.set(String(bus.EventBusId), log);
    return {};
  }

  /** Tags of one EventBridge resource, keyed by region, prefix and id (the uin is implied). */
  private tagsOf(region: string, prefix: string, id: string): Map<string, string> {
    const key = `${region}|${prefix}|${id}`;
    let tags = this.resourceTags.get(key);
    if (!tags) this.resourceTags.set(key, (tags = new Map()));
    return tags;
  }

  /** Forgets the tags of a deleted resource. */
  private untagDeleted(prefix: string, id: string): void {
    for (const key of this.resourceTags.keys())
      if (key.endsWith(`|${prefix}|${id}`)) this.resourceTags.delete(key);
  }

  /** The tag-service actions polybus calls (API 2018-08-13). */
  private readonly tagActions: Record<string, (p: Params, ctx: { region: string }) => Row> = {
    ModifyResourceTags: (p) => {
      this.required(p, 'Resource');
      const m = TAG_RESOURCE.exec(String(p.Resource));
      if (!m)
        throw new TcError(
          'InvalidParameterValue.ResourceDescriptionError',
          'The resource description is incorrect: expected qcs::eb:{region}:uin/{uin}:{eventbusid|ruleid}/{id}.',
        );
      const tags = this.tagsOf(m[1]!, m[2]!, m[3]!);
      const replace = (Array.isArray(p.ReplaceTags) ? p.ReplaceTags : []) as Row[];
      const remove = (Array.isArray(p.DeleteTags) ? p.DeleteTags : []) as Row[];
      for (const t of replace) {
        const key = String(t.TagKey ?? '');
        const value = String(t.TagValue ?? '');
        if (key.length < 1 || key.length > 127)
          throw new TcError('InvalidParameterValue.TagKeyLengthExceeded', 'A tag key is 1-127 characters.');
        if (value.length > 255)
          throw new TcError(
            'InvalidParameterValue.TagValueLengthExceeded',
            'A tag value is at most 255 characters.',
          );
      }
      const next = new Map(tags);
      for (const t of remove) next.delete(String(t.TagKey ?? ''));
      for (const t of replace) next.set(String(t.TagKey), String(t.TagValue ?? ''));
      if (next.size > 50)
        throw new TcError('LimitExceeded.ResourceAttachedTags', 'A resource holds at most 50 tags.');
      tags.clear();
      for (const [k, v] of next) tags.set(k, v);
      return {};
    },
    DescribeResourceTagsByResourceIds: (p) => {
      this.required(p, 'ServiceType', 'ResourcePrefix', 'ResourceRegion', 'ResourceIds');
      const rows = (p.ResourceIds as unknown[]).flatMap((id) =>
        [...this.tagsOf(String(p.ResourceRegion), String(p.ResourcePrefix), String(id))].map(
          ([TagKey, TagValue]) => ({
            ResourceId: String(id),
            TagKey,
            TagValue,
            TagKeyMd5: '',
            TagValueMd5: '',
          }),
        ),
      );
      const offset = Number(p.Offset ?? 0);
      const limit = Number(p.Limit ?? 15);
      return {
        TotalCount: rows.length,
        Offset: offset,
        Limit: limit,
        Tags: rows.slice(offset, offset + limit),
      };
    },
  };

  private readonly actions: Record<string, (p: Params, ctx: { region: string }) => Row> = {
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
      this.untagDeleted('eventbusid', String(bus.EventBusId));
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
      this.untagDeleted('ruleid', `${String(rule.EventBusId)}/${String(rule.RuleId)}`);
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
      // Batch delivery is set through TargetDescription.SCFParams (data type SCFParams); ListTargets
      // shows it as EnableBatchDelivery/BatchTimeout/BatchEventCount (defaults as its example: false, 1, 1).
      const scf = (desc.SCFParams ?? {}) as Params;
      this.checkBatch(scf);
      const id = `target-${randomId()}`;
      this.targets.set(id, {
        TargetId: id,
        RuleId: p.RuleId,
        EventBusId: p.EventBusId,
        Type: p.Type,
        TargetDescription: desc,
        EnableBatchDelivery: scf.EnableBatchDelivery ?? false,
        BatchEventCount: scf.BatchEventCount ?? 1,
        BatchTimeout: scf.BatchTimeout ?? 1,
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
      const target = this.target(p);
      this.checkBatch(p);
      const desc = target.TargetDescription as Params;
      for (const k of ['EnableBatchDelivery', 'BatchTimeout', 'BatchEventCount']) {
        if (p[k] === undefined) continue;
        target[k] = p[k];
        if (desc.SCFParams) (desc.SCFParams as Params)[k] = p[k];
      }
      return {};
    },
    DeleteTarget: (p) => {
      this.targets.delete(String(this.target(p).TargetId));
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
      if (!Array.isArray(p.Transformations) || p.Transformations.length === 0)
        throw new TcError(
          'InvalidParameterValue.Transformations',
          'The `Transformations` value does not conform to the specification.',
        );
      try {
        return {
          Output: runTransformations(String(p.Input), p.Transformations as TransformationSpec[], this.now()),
        };
      } catch (e) {
        if (!(e instanceof TransformationError)) throw e;
        throw new TcError(
          e.field === 'Input' ? 'InvalidParameterValue' : 'InvalidParameterValue.Transformations',
          `The \`${e.field === 'Input' ? 'Input' : `Transformations.${e.field}`}\` value does not conform to the specification: ${e.message}.`,
        );
      }
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
    PutEvents: (p, ctx) => this.receiveEvents(p, ctx.region),
    // Deprecated in the official SDK, same request shape as PutEvents.
    PublishEvent: (p, ctx) => this.receiveEvents(p, ctx.region),
    SearchLog: (p) => {
      const { entries, page, limit } = this.selectLog(p);
      if (p.OrderBy !== undefined && p.OrderBy !== 'asc' && p.OrderBy !== 'desc')
        throw new TcError(
          'InvalidParameterValue.OrderBy',
          'The `OrderBy` value does not conform to the specification.',
        );
      const fields = (
        Array.isArray(p.OrderFields) && p.OrderFields.length > 0 ? p.OrderFields : ['Timestamp']
      ) as string[];
      const direction = p.OrderBy === 'asc' ? 1 : -1; // desc (latest first) unless asc
      // Ties keep arrival order, reversed for desc: within one millisecond the later event is later.
      const sorted = (direction < 0 ? [...entries].reverse() : [...entries]).sort((a, b) => {
        for (const f of fields) {
          const x = f === 'Timestamp' ? a.time : String(a[f as LogField] ?? '');
          const y = f === 'Timestamp' ? b.time : String(b[f as LogField] ?? '');
          if (x < y) return -direction;
          if (x > y) return direction;
        }
        return 0;
      });
      return {
        Total: entries.length,
        Limit: limit,
        Page: page,
        Results: sorted.slice((page - 1) * limit, page * limit).map(({ time, ...result }) => result),
      };
    },
    DescribeLogTagValue: (p) => {
      this.required(p, 'GroupField');
      const field = String(p.GroupField);
      if (!LOG_FIELDS.has(field as LogField))
        throw new TcError(
          'InvalidParameterValue',
          'The `GroupField` value does not conform to the specification.',
        );
      const { entries, page, limit } = this.selectLog(p);
      const values = [
        ...new Set(
          entries.flatMap((e) => (field === 'RuleIds' ? e.RuleIds.split(',') : [e[field as LogField]])),
        ),
      ].filter((v) => v !== '');
      return { Results: values.slice((page - 1) * limit, page * limit) };
    },
    // The platform event catalogue (official SDK actions beyond the seed): the emulator knows no
    // platform products, so the lists are empty and no template exists.
    ListPlatformProducts: () => ({ PlatformProducts: [] }),
    ListPlatformEventNames: (p) => {
      this.required(p, 'ProductType');
      return { EventNames: [] };
    },
    ListPlatformEventPatterns: (p) => {
      this.required(p, 'ProductType');
      return { EventPatterns: [] };
    },
    GetPlatformEventTemplate: (p) => {
      this.required(p, 'EventType');
      throw new TcError('ResourceNotFound', 'The resource does not exist.');
    },
  };

  // --- Delivery log (issue 17): rule matches with their reason; Tencent has no http target ---

  /** The delivery log: every received event, each rule's verdict and the targets it was routed to. */
  readonly delivery = new DeliveryEngine('tencent');

  /** Records one received event: each rule on the bus with the condition that decided it. */
  private recordDelivery(busId: string, event: Record<string, unknown>, matched: string[]): void {
    const rec = this.delivery.record({
      bus: busId,
      eventId: String(event.id),
      event,
      matches: [],
      deliveries: [],
      notes: [
        'Tencent emulator: every rule EventPattern evaluated as the Event Pattern page describes; Tencent has no http target type (scf, cls, amp, ckafka, es) and the emulator runs none of them, so nothing is delivered.',
      ],
    });
    for (const r of this.rules.values()) {
      if (r.EventBusId !== busId) continue;
      let reason: string;
      try {
        reason = matchesEventPattern(JSON.parse(String(r.EventPattern)) as TencentEventPattern, event).reason;
      } catch {
        reason = 'the rule EventPattern is not readable JSON';
      }
      const hit = matched.includes(String(r.RuleId));
      rec.matches.push({
        integration: String(r.RuleId),
        name: String(r.RuleName),
        matched: hit,
        reason: r.Enable === false ? 'the rule is disabled' : reason,
      });
      if (!hit) continue;
      for (const t of this.targets.values())
        if (t.RuleId === r.RuleId)
          rec.deliveries.push({
            integration: String(r.RuleId),
            target: String(t.TargetId),
            destination: `${String(t.Type)}:${String((t.TargetDescription as Row | undefined)?.ResourceDescription ?? '')}`,
            attempts: 0,
            status: 'not-delivered',
            note: `the emulator does not run ${String(t.Type)} targets`,
            attemptLog: [],
          });
    }
  }
}
