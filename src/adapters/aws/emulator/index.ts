/**
 * A loopback Amazon Connect AppIntegrations (event integrations), REST-JSON as the SDK calls it.
 * Verifies SigV4 over exactly what each request signed, enforces the documented constraints, ClientToken
 * idempotency, DuplicateResourceException, a quota, NextToken paging and AWS-shaped errors
 * (`x-amzn-errortype`). New ground: neither moto nor LocalStack community emulates this service.
 */
import { DeliveryEngine } from '../../../testing/delivery.js';
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  applyTransportFault,
  LoopbackEmulator,
  type LoopbackRequest,
  ScopedState,
  sendJson,
} from '../../../testing/loopback.js';
import type { AwsCredentials } from '../auth.js';
import { AWS_ERROR_NAMES } from '../errors.js';

/** Credentials the emulator accepts by default (emulator-only, not anyone's secret). */
export const AWS_EMULATOR_CREDENTIALS: AwsCredentials = {
  accessKeyId: 'AKIAPOLYBUSEMULATOR0',
  secretAccessKey: 'polybus-emulator-aws-secret-access-key',
};
const ACCOUNT = '123456789012';
/** A second account's credentials the default emulator also accepts (emulator-only), for multi-account specs. */
export const AWS_EMULATOR_CREDENTIALS_2: AwsCredentials & { account: string } = {
  accessKeyId: 'AKIAPOLYBUSEMULATOR2',
  secretAccessKey: 'polybus-emulator-aws-secret-access-key-2',
  account: '210987654321',
};

/** Options of {@link AwsEmulator.start}. */
export interface AwsEmulatorOptions {
  /** Accepted access keys, each with the account it belongs to (default account 123456789012). */
  credentials?: (AwsCredentials & { account?: string })[];
  /** The region read outside any request (what `integrations` and `buses` show); requests use their SigV4 scope's. */
  region?: string;
  /** Event integrations allowed before ResourceQuotaExceededException. */
  quota?: number;
  port?: number;
}

class AwsError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status = AWS_ERROR_NAMES[name]?.status ?? 400,
  ) {
    super(message);
  }
}

const invalid = (msg: string) => new AwsError('InvalidRequestException', msg);

/** SigV4 allows 15 minutes between the request's X-Amz-Date and the server's clock. */
const SKEW_MS = 15 * 60_000;
const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding as SigV4 canonicalizes (unreserved `A-Za-z0-9-._~` kept). */
const uriEscape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** The path as sent, each segment encoded once more (every service but S3). */
const canonicalPath = (path: string) => path.split('/').map(uriEscape).join('/') || '/';
/** Query pairs decoded as sent (`+` is not a space), re-encoded and sorted by key, then value. */
function canonicalQuery(search: string): string {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const [k, v] = i < 0 ? [pair, ''] : [pair.slice(0, i), pair.slice(i + 1)];
      return [uriEscape(decode(k)), uriEscape(decode(v))] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
/** A header's canonical value: trimmed, inner runs of spaces collapsed, repeats joined by commas. */
const headerValue = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : [v ?? '']).map((x) => x.trim().replace(/\s+/g, ' ')).join(',');

interface Integration {
  Name: string;
  Description?: string;
  EventIntegrationArn: string;
  EventBridgeBus: string;
  EventFilter: { Source: string };
  Tags: Record<string, string>;
}

const NAME = /^[a-zA-Z0-9/._-]+$/;
// The service's own tag key pattern (note `+-=` is a character range in it).
const TAG_KEY = /^(?!aws:)[a-zA-Z+-=._:/]+$/;
/** An EventBridge validation failure (JSON 1.1 protocol). */
const ebInvalid = (msg: string) => new AwsError('ValidationException', msg, 400);

/** An emulated EventBridge bus. */
interface EmulatedBus {
  Name: string;
  Arn: string;
  Tags: Record<string, string>;
  Description?: string;
  KmsKeyIdentifier?: string;
  DeadLetterConfig?: { Arn: string };
  LogConfig?: { IncludeDetail?: string; Level?: string };
}
/** The bus settings CreateEventBus and UpdateEventBus answer with. */
const BUS_SETTINGS = ['Description', 'KmsKeyIdentifier', 'DeadLetterConfig', 'LogConfig'] as const;

/** A request body as JSON for the record (empty or unparsable bodies record as {}). */
function parseBody(body: Buffer): Record<string, unknown> {
  try {
    const v = JSON.parse(body.toString('utf8') || '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The emulator. */
export class AwsEmulator extends LoopbackEmulator {
  /**
   * State per account x region (`ACCOUNT/REGION`): the account of the signing access key, the
   * region of its SigV4 credential scope, as AWS keeps resources. Outside a request, the default
   * account's in the configured region.
   */
  readonly scopes: ScopedState<{
    account: string;
    region: string;
    integrations: Map<string, Integration>;
    associations: Map<string, { EventIntegrationAssociationId: string; ClientId: string }[]>;
    tokens: Map<string, { fingerprint: string; arn: string }>;
    buses: Map<string, EmulatedBus>;
  }>;
  private readonly credentials: (AwsCredentials & { account?: string })[];
  private readonly quota: number;

  private constructor(o: AwsEmulatorOptions) {
    super();
    this.credentials = o.credentials ?? [AWS_EMULATOR_CREDENTIALS, AWS_EMULATOR_CREDENTIALS_2];
    this.quota = o.quota ?? 500;
    this.scopes = new ScopedState(
      (scope) => {
        const [account = ACCOUNT, region = 'us-east-1'] = scope.split('/');
        // The account's default bus always exists, in every region.
        const arn = `arn:aws:events:${region}:${account}:event-bus/default`;
        return {
          account,
          region,
          integrations: new Map(),
          associations: new Map(),
          tokens: new Map(),
          buses: new Map([['default', { Name: 'default', Arn: arn, Tags: {} }]]),
        };
      },
      `${ACCOUNT}/${o.region ?? 'us-east-1'}`,
    );
  }

  get integrations() {
    return this.scopes.current.integrations;
  }
  get associations() {
    return this.scopes.current.associations;
  }
  private get tokens() {
    return this.scopes.current.tokens;
  }
  /** EventBridge buses by name; the account's default bus always exists. */
  get buses() {
    return this.scopes.current.buses;
  }
  private get region() {
    return this.scopes.current.region;
  }
  private get account() {
    return this.scopes.current.account;
  }

  /** Starts an emulator on 127.0.0.1. */
  static async start(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
    const emu = new AwsEmulator(options);
    await emu.listen(options.port ?? 0);
    return emu;
  }

  /** Associates a client (as Amazon Connect would), which blocks deletion. */
  addAssociation(name: string, clientId: string): void {
    const list = this.associations.get(name) ?? [];
    list.push({ EventIntegrationAssociationId: randomUUID(), ClientId: clientId });
    this.associations.set(name, list);
  }

  protected async handle(req: LoopbackRequest, res: ServerResponse): Promise<void> {
    if (this.delivery.serve(req.url, res)) return; // emulator-only delivery log read (issue 17)
    const requestId = randomUUID();
    const route = this.route(req);
    this.countRequest(route.operation);
    const fault = this.faults.take(route.operation, req);
    let result: unknown;
    let error: AwsError | undefined;
    const commit = async () => {
      try {
        const scope = this.verifySignature(req, route.service);
        this.received.push({ operation: route.operation, body: parseBody(req.body) });
        result = this.scopes.within(scope, route.run);
      } catch (e) {
        if (!(e instanceof AwsError)) throw e;
        error = e;
      }
    };
    let committed: Promise<void> | undefined;
    if (
      await applyTransportFault(fault, res, () => {
        committed = commit();
      })
    ) {
      await committed;
      return;
    }
    if (fault?.kind === 'error')
      error = new AwsError(fault.code ?? 'InternalServiceError', 'injected fault', fault.status);
    else if (
      this.readLag.active &&
      /^(Get|Describe|ListTags)/.test(route.operation) &&
      this.readLag.hides(this.namesOf(req))
    )
      error = new AwsError(
        'ResourceNotFoundException',
        `${this.namesOf(req).join(', ')} not found.`,
        route.service === 'events' ? 400 : 404,
      );
    else await commit();
    // read lag follows a write that creates; a read under an `invisible` fault hides nothing
    if (fault?.kind === 'invisible' && result && route.operation.startsWith('Create'))
      this.readLag.hide(this.namesOf(req), fault.reads ?? 1);
    if (result && route.operation.startsWith('List')) result = this.readLag.filterLists(result);
    if (error) {
      await sendJson(
        res,
        error.status,
        // REST-JSON reads Message; JSON 1.1 reads __type and message.
        { Message: error.message, message: error.message, __type: error.name },
        { 'x-amzn-errortype': error.name, 'x-amzn-requestid': requestId },
        fault,
      );
      return;
    }
    await sendJson(res, 200, result ?? {}, { 'x-amzn-requestid': requestId }, fault);
  }

  /** The resource names a request addresses (path name, or the JSON body's `Name`). */
  private namesOf(req: LoopbackRequest): string[] {
    const parts = req.url.pathname
      .split('/')
      .slice(1)
      .map((p) => decodeURIComponent(p));
    if (parts[0] === 'eventIntegrations' && parts[1]) return [parts[1]];
    try {
      const name = (JSON.parse(req.body.toString('utf8') || '{}') as { Name?: unknown }).Name;
      return typeof name === 'string' ? [name] : [];
    } catch {
      return [];
    }
  }

  /**
   * Verifies SigV4 over exactly what the request signed: the headers its `SignedHeaders` lists (no
   * others), the path and query as sent, and the payload hash from `x-amz-content-sha256` when the
   * client sent it (which must then match the body), else the SHA-256 of the body. Any official
   * client (JS SDK, botocore, the CLI, hand-signed requests) passes; a changed byte does not.
   * Returns the state scope the request names: `ACCOUNT/REGION` of its key and credential scope.
   */
  private verifySignature(req: LoopbackRequest, expectedService: string): string {
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
        String(req.headers.authorization ?? ''),
      );
    if (!m)
      throw new AwsError(
        'IncompleteSignature',
        'Authorization header requires Credential, SignedHeaders and Signature.',
        403,
      );
    const [, keyId, scopeDate, region, service, signedHeaders, signature] = m as unknown as string[];
    const creds = this.credentials.find((c) => c.accessKeyId === keyId);
    if (!creds)
      throw new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        403,
      );
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!d) throw new AwsError('IncompleteSignature', 'X-Amz-Date is missing or malformed.', 403);
    const signed = new Date(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, +d[4]!, +d[5]!, +d[6]!)).getTime();
    const now = Date.now();
    const basic = (t: number) =>
      new Date(t)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    // The service's own wording for a request outside the 15-minute window.
    if (signed < now - SKEW_MS)
      throw new AwsError(
        'InvalidSignatureException',
        `Signature expired: ${amzDate} is now earlier than ${basic(now - SKEW_MS)} (${basic(now)} - 15 min.)`,
        403,
      );
    if (signed > now + SKEW_MS)
      throw new AwsError(
        'InvalidSignatureException',
        `Signature not yet current: ${amzDate} is still later than ${basic(now + SKEW_MS)} (${basic(now)} + 15 min.)`,
        403,
      );
    if (scopeDate !== amzDate.slice(0, 8))
      throw new AwsError(
        'InvalidSignatureException',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
        403,
      );
    if (service !== expectedService)
      throw new AwsError(
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${expectedService}'.`,
        403,
      );
    const names = signedHeaders!.split(';');
    if (!names.includes('host'))
      throw new AwsError(
        'IncompleteSignature',
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        403,
      );
    if (creds.sessionToken !== undefined && req.headers['x-amz-security-token'] !== creds.sessionToken) {
      throw new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        403,
      );
    }
    const bodyHash = sha256Hex(req.body);
    const declared = req.headers['x-amz-content-sha256'];
    const payloadHash = typeof declared === 'string' ? declared : bodyHash;
    if (payloadHash !== bodyHash && payloadHash !== 'UNSIGNED-PAYLOAD')
      throw new AwsError(
        'InvalidSignatureException',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        403,
      );
    const canonical = [
      req.method,
      canonicalPath(req.url.pathname),
      canonicalQuery(req.url.search),
      ...names.map((h) => `${h}:${headerValue(req.headers[h])}`),
      '',
      signedHeaders,
      payloadHash,
    ].join('\n');
    const scope = `${scopeDate}/${region}/${service}/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
    let key: Buffer = Buffer.from(`AWS4${creds.secretAccessKey}`);
    for (const part of [scopeDate!, region!, service!, 'aws4_request']) key = hmac(key, part);
    const want = hmac(key, toSign).toString('hex');
    if (!timingSafeEqual(Buffer.from(want), Buffer.from(signature!))) {
      throw new AwsError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        403,
      );
    }
    return `${creds.account ?? ACCOUNT}/${region!}`;
  }

  private route(req: LoopbackRequest): { operation: string; service: string; run: () => unknown } {
    const parts = req.url.pathname
      .split('/')
      .slice(1)
      .map((p) => decodeURIComponent(p));
    const body = () => {
      try {
        return JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new AwsError('SerializationException', 'Malformed JSON body.', 400);
      }
    };
    const m = req.method;
    const target = String(req.headers['x-amz-target'] ?? '');
    if (m === 'POST' && target.startsWith('AWSEvents.')) {
      const action = target.slice('AWSEvents.'.length);
      const handler = this.eventBridge[action];
      return {
        service: 'events',
        operation: action,
        run: () => {
          if (!handler) throw new AwsError('UnknownOperationException', `Unknown operation ${action}.`, 400);
          return handler(body());
        },
      };
    }
    if (parts[0] === 'eventIntegrations') {
      if (parts.length === 1 && m === 'POST')
        return {
          service: 'app-integrations',
          operation: 'CreateEventIntegration',
          run: () => this.create(body()),
        };
      if (parts.length === 1 && m === 'GET')
        return {
          service: 'app-integrations',
          operation: 'ListEventIntegrations',
          run: () => this.list(req.url.searchParams),
        };
      const name = parts[1] ?? '';
      if (parts.length === 2 && m === 'GET')
        return { service: 'app-integrations', operation: 'GetEventIntegration', run: () => this.get(name) };
      if (parts.length === 2 && m === 'PATCH')
        return {
          service: 'app-integrations',
          operation: 'UpdateEventIntegration',
          run: () => this.update(name, body()),
        };
      if (parts.length === 2 && m === 'DELETE')
        return {
          service: 'app-integrations',
          operation: 'DeleteEventIntegration',
          run: () => this.delete(name),
        };
      if (parts.length === 3 && parts[2] === 'associations' && m === 'GET') {
        return {
          service: 'app-integrations',
          operation: 'ListEventIntegrationAssociations',
          run: () => this.listAssociations(name, req.url.searchParams),
        };
      }
    }
    if (parts[0] === 'tags' && parts.length === 2) {
      const arn = parts[1]!;
      if (m === 'POST')
        return { service: 'app-integrations', operation: 'TagResource', run: () => this.tag(arn, body()) };
      if (m === 'DELETE')
        return {
          service: 'app-integrations',
          operation: 'UntagResource',
          run: () => this.untag(arn, req.url.searchParams.getAll('tagKeys')),
        };
      if (m === 'GET')
        return {
          service: 'app-integrations',
          operation: 'ListTagsForResource',
          run: () => ({ tags: { ...this.byArn(arn).Tags } }),
        };
    }
    return {
      service: 'app-integrations',
      operation: 'Unknown',
      run: () => {
        throw new AwsError('UnknownOperationException', `No route for ${m} ${req.url.pathname}`, 404);
      },
    };
  }

  /** Requests that passed signature verification, per operation with the parsed JSON body. */
  readonly received: { operation: string; body: Record<string, unknown> }[] = [];

  private busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${name}`;
  }

  private eventBus(name: unknown) {
    const bus = this.buses.get(typeof name === 'string' && name ? name : 'default');
    if (!bus)
      throw new AwsError('ResourceNotFoundException', `Event bus ${String(name)} does not exist.`, 400);
    return bus;
  }

  private busByArn(arn: unknown) {
    const bus = [...this.buses.values()].find((b) => b.Arn === arn);
    if (!bus) throw new AwsError('ResourceNotFoundException', `Resource ${String(arn)} not found.`, 400);
    return bus;
  }

  private busTags(tags: unknown): Record<string, string> {
    if (tags === undefined) return {};
    if (!Array.isArray(tags) || tags.length > 50)
      throw new AwsError('ValidationException', 'Tags: at most 50 {Key, Value} entries.', 400);
    const out: Record<string, string> = {};
    for (const t of tags as { Key?: unknown; Value?: unknown }[]) {
      if (typeof t.Key !== 'string' || t.Key.length < 1 || t.Key.length > 128 || t.Key.startsWith('aws:')) {
        throw new AwsError(
          'ValidationException',
          'Tag keys are 1-128 characters and cannot start with aws:.',
          400,
        );
      }
      if (typeof t.Value !== 'string' || t.Value.length > 256)
        throw new AwsError('ValidationException', 'Tag values are at most 256 characters.', 400);
      out[t.Key] = t.Value;
    }
    return out;
  }

  /** EventBridge JSON 1.1 actions (X-Amz-Target: AWSEvents.<Action>). */
  private readonly eventBridge: Record<string, (b: Record<string, unknown>) => unknown> = {
    PutEvents: (b) => this.receiveEvents(b),
    CreateEventBus: (b) => {
      const name = b.Name;
      if (
        typeof name !== 'string' ||
        name.length < 1 ||
        name.length > 256 ||
        !/^[/.\-_A-Za-z0-9]+$/.test(name)
      ) {
        throw new AwsError(
          'ValidationException',
          'Name must be 1-256 characters of letters, digits, . - _ and /.',
          400,
        );
      }
      if (name.includes('/') && !b.EventSourceName)
        throw new AwsError('ValidationException', 'Only partner event buses may contain /.', 400);
      if (b.EventSourceName !== undefined && b.EventSourceName !== name)
        throw new AwsError(
          'ValidationException',
          'Event bus name must match the event source name of a partner event bus.',
          400,
        );
      if (b.EventSourceName !== undefined && !String(b.EventSourceName).startsWith('aws.partner/'))
        throw new AwsError(
          'ResourceNotFoundException',
          `Event source ${String(b.EventSourceName)} does not exist.`,
          400,
        );
      if (this.buses.has(name))
        throw new AwsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`, 400);
      if (this.buses.size >= 100)
        throw new AwsError('LimitExceededException', 'The event bus quota has been reached.', 400);
      const bus: EmulatedBus = {
        Name: name,
        Arn: this.busArn(name),
        Tags: this.busTags(b.Tags),
        ...this.busSettings(b),
      };
      this.buses.set(name, bus);
      return {
        EventBusArn: bus.Arn,
        ...Object.fromEntries(BUS_SETTINGS.filter((k) => bus[k] !== undefined).map((k) => [k, bus[k]])),
      };
    },
    DescribeEventBus: (b) => {
      const { Tags: _t, ...bus } = this.eventBus(b.Name);
      return bus;
    },
    UpdateEventBus: (b) => {
      const bus = this.eventBus(b.Name);
      Object.assign(bus, this.busSettings(b));
      return {
        Arn: bus.Arn,
        Name: bus.Name,
        ...Object.fromEntries(BUS_SETTINGS.filter((k) => bus[k] !== undefined).map((k) => [k, bus[k]])),
      };
    },
    ListEventBuses: (b) => {
      const limit = b.Limit === undefined ? 100 : Number(b.Limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new AwsError('ValidationException', 'Limit must be 1-100.', 400);
      const prefix = typeof b.NamePrefix === 'string' ? b.NamePrefix : '';
      const offset =
        typeof b.NextToken === 'string' ? Number(Buffer.from(b.NextToken, 'base64url').toString()) : 0;
      const all = [...this.buses.values()].filter((x) => x.Name.startsWith(prefix));
      const slice = all.slice(offset, offset + limit);
      const next = offset + slice.length;
      return {
        // The EventBus shape of ListEventBuses: Name, Arn, Description (no tags, no settings).
        EventBuses: slice.map((x) => ({
          Name: x.Name,
          Arn: x.Arn,
          ...(x.Description ? { Description: x.Description } : {}),
        })),
        ...(next < all.length ? { NextToken: Buffer.from(String(next)).toString('base64url') } : {}),
      };
    },
    DeleteEventBus: (b) => {
      if (b.Name === 'default')
        throw new AwsError('ValidationException', 'Cannot delete event bus default.', 400);
      const bus = this.eventBus(b.Name);
      this.buses.delete(bus.Name);
      return {};
    },
    TagResource: (b) => {
      const bus = this.busByArn(b.ResourceARN);
      Object.assign(bus.Tags, this.busTags(b.Tags));
      return {};
    },
    UntagResource: (b) => {
      const bus = this.busByArn(b.ResourceARN);
      for (const k of (b.TagKeys as string[]) ?? []) delete bus.Tags[k];
      return {};
    },
    ListTagsForResource: (b) => ({
      Tags: Object.entries(this.busByArn(b.ResourceARN).Tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  };

  /** The settings CreateEventBus and UpdateEventBus take, checked as the API model states them. */
  private busSettings(b: Record<string, unknown>): Partial<EmulatedBus> {
    const out: Partial<EmulatedBus> = {};
    if (b.Description !== undefined) {
      if (typeof b.Description !== 'string' || b.Description.length > 512)
        throw ebInvalid('Description must be at most 512 characters');
      out.Description = b.Description;
    }
    if (b.KmsKeyIdentifier !== undefined) {
      if (typeof b.KmsKeyIdentifier !== 'string' || b.KmsKeyIdentifier.length > 2048)
        throw ebInvalid('KmsKeyIdentifier must be at most 2048 characters');
      out.KmsKeyIdentifier = b.KmsKeyIdentifier;
    }
    if (b.DeadLetterConfig !== undefined) {
      const arn = (b.DeadLetterConfig as { Arn?: unknown } | null)?.Arn;
      if (typeof arn !== 'string' || arn.length < 1 || arn.length > 1600)
        throw ebInvalid('DeadLetterConfig.Arn must be 1-1600 characters');
      out.DeadLetterConfig = { Arn: arn };
    }
    if (b.LogConfig !== undefined) {
      const l = (b.LogConfig ?? {}) as { IncludeDetail?: unknown; Level?: unknown };
      if (l.IncludeDetail !== undefined && l.IncludeDetail !== 'NONE' && l.IncludeDetail !== 'FULL')
        throw ebInvalid('LogConfig.IncludeDetail must be NONE or FULL');
      if (l.Level !== undefined && !['OFF', 'ERROR', 'INFO', 'TRACE'].includes(String(l.Level)))
        throw ebInvalid('LogConfig.Level must be OFF, ERROR, INFO or TRACE');
      out.LogConfig = {
        ...(l.IncludeDetail !== undefined ? { IncludeDetail: String(l.IncludeDetail) } : {}),
        ...(l.Level !== undefined ? { Level: String(l.Level) } : {}),
      };
    }
    return out;
  }

  private checkTags(tags: unknown, field: string): Record<string, string> {
    if (tags === undefined) return {};
    if (typeof tags !== 'object' || tags === null) throw invalid(`${field} must be a map`);
    const entries = Object.entries(tags as Record<string, unknown>);
    if (entries.length > 200) throw invalid(`${field}: at most 200 tags`);
    for (const [k, v] of entries) {
      if (k.length < 1 || k.length > 128 || !TAG_KEY.test(k))
        throw invalid(`${field}: key ${k} must be 1-128 characters matching ^(?!aws:)[a-zA-Z+-=._:/]+$`);
      if (typeof v !== 'string' || v.length > 256)
        throw invalid(`${field}: value of ${k} must be at most 256 characters`);
    }
    return tags as Record<string, string>;
  }

  private create(b: Record<string, unknown>) {
    const { Name, Description, EventBridgeBus, EventFilter, ClientToken, Tags } = b as {
      Name?: string;
      Description?: string;
      EventBridgeBus?: string;
      EventFilter?: { Source?: string };
      ClientToken?: string;
      Tags?: unknown;
    };
    for (const [field, v] of [
      ['Name', Name],
      ['EventBridgeBus', EventBridgeBus],
    ] as const) {
      if (typeof v !== 'string' || v.length < 1 || v.length > 255 || !NAME.test(v))
        throw invalid(`${field} must be 1-255 characters matching ^[a-zA-Z0-9\\/\\._\\-]+$`);
    }
    const source = EventFilter?.Source;
    if (typeof source !== 'string' || source.length < 1 || source.length > 256)
      throw invalid('EventFilter.Source must be 1-256 characters');
    if (Description !== undefined && (typeof Description !== 'string' || Description.length > 1000))
      throw invalid('Description must be at most 1000 characters');
    if (
      ClientToken !== undefined &&
      (typeof ClientToken !== 'string' || ClientToken.length < 1 || ClientToken.length > 2048)
    )
      throw invalid('ClientToken must be 1-2048 characters');
    const tags = this.checkTags(Tags, 'Tags');
    const fingerprint = JSON.stringify([
      Name,
      Description ?? null,
      EventBridgeBus,
      source,
      Object.entries(tags).sort(),
    ]);
    if (ClientToken) {
      const seen = this.tokens.get(ClientToken);
      if (seen && seen.fingerprint === fingerprint) return { EventIntegrationArn: seen.arn };
      if (seen) throw invalid('ClientToken was already used with a different request');
    }
    if (this.integrations.has(Name!))
      throw new AwsError('DuplicateResourceException', `An event integration named ${Name} already exists.`);
    if (this.integrations.size >= this.quota)
      throw new AwsError(
        'ResourceQuotaExceededException',
        'The allowed quota for the resource has been exceeded.',
      );
    const arn = `arn:aws:app-integrations:${this.region}:${this.account}:event-integration/${Name}`;
    this.integrations.set(Name!, {
      Name: Name!,
      ...(Description !== undefined ? { Description } : {}),
      EventIntegrationArn: arn,
      EventBridgeBus: EventBridgeBus!,
      EventFilter: { Source: source },
      Tags: { ...tags },
    });
    if (ClientToken) this.tokens.set(ClientToken, { fingerprint, arn });
    return { EventIntegrationArn: arn };
  }

  private find(name: string): Integration {
    const it = this.integrations.get(name);
    if (!it) throw new AwsError('ResourceNotFoundException', `Event integration ${name} not found.`);
    return it;
  }

  private byArn(arn: string): Integration {
    const it = [...this.integrations.values()].find((i) => i.EventIntegrationArn === arn);
    if (!it) throw new AwsError('ResourceNotFoundException', `Resource ${arn} not found.`);
    return it;
  }

  private get(name: string) {
    const it = this.find(name);
    return { ...it, Tags: { ...it.Tags } };
  }

  private page<T>(q: URLSearchParams, items: T[]) {
    const max = q.has('maxResults') ? Number(q.get('maxResults')) : 50;
    if (!Number.isInteger(max) || max < 1 || max > 50) throw invalid('maxResults must be 1-50');
    const token = q.get('nextToken');
    const offset = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw invalid('nextToken is invalid');
    const slice = items.slice(offset, offset + max);
    const next = offset + slice.length;
    return {
      slice,
      ...(next < items.length ? { NextToken: Buffer.from(String(next)).toString('base64url') } : {}),
    };
  }

  private list(q: URLSearchParams) {
    const { slice, NextToken } = this.page(q, [...this.integrations.values()]);
    return {
      EventIntegrations: slice.map((i) => ({ ...i, Tags: { ...i.Tags } })),
      ...(NextToken ? { NextToken } : {}),
    };
  }

  private update(name: string, b: Record<string, unknown>) {
    const it = this.find(name);
    if (b.Description !== undefined && (typeof b.Description !== 'string' || b.Description.length > 1000))
      throw invalid('Description must be at most 1000 characters');
    if (typeof b.Description === 'string') it.Description = b.Description;
    return {};
  }

  private delete(name: string) {
    this.find(name);
    if ((this.associations.get(name) ?? []).length)
      throw invalid(`Event integration ${name} is associated with clients and cannot be deleted.`);
    this.integrations.delete(name);
    return {};
  }

  private listAssociations(name: string, q: URLSearchParams) {
    const it = this.find(name);
    const { slice, NextToken } = this.page(q, this.associations.get(name) ?? []);
    return {
      EventIntegrationAssociations: slice.map((a) => ({
        ...a,
        EventIntegrationAssociationArn: `${it.EventIntegrationArn}/${a.EventIntegrationAssociationId}`,
        EventIntegrationName: name,
        EventBridgeRuleName: `rule-${a.ClientId}`,
        ClientAssociationMetadata: {},
      })),
      ...(NextToken ? { NextToken } : {}),
    };
  }

  private tag(arn: string, b: Record<string, unknown>) {
    const it = this.byArn(arn);
    const tags = this.checkTags(b.tags, 'tags');
    if (Object.keys({ ...it.Tags, ...tags }).length > 200) throw invalid('tags: at most 200 tags');
    Object.assign(it.Tags, tags);
    return {};
  }

  private untag(arn: string, keys: string[]) {
    const it = this.byArn(arn);
    if (!keys.length) throw invalid('tagKeys is required');
    for (const k of keys) delete it.Tags[k];
    return {};
  }

  // --- Publishing (issue 17): EventBridge PutEvents accepted and logged; nothing delivered ---

  /** The event log: each entry, and which event integrations would hand it to Amazon Connect. */
  readonly delivery = new DeliveryEngine('aws');

  /**
   * PutEvents: 1-10 entries, each with Source, DetailType and a JSON-object Detail; each gets an
   * EventId and is logged with the event integrations on its bus whose EventFilter.Source equals
   * its Source. An integration only hands events to Amazon Connect, so nothing is delivered.
   */
  private receiveEvents(b: Record<string, unknown>) {
    const entries = b.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10)
      throw new AwsError('ValidationException', 'Entries: 1-10 entries.', 400);
    const results = (entries as Record<string, unknown>[]).map((e) => {
      for (const f of ['Source', 'DetailType', 'Detail'])
        if (typeof e[f] !== 'string' || e[f] === '')
          return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${f} is not valid.` };
      let detail: unknown;
      try {
        detail = JSON.parse(String(e.Detail));
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      const busRef = typeof e.EventBusName === 'string' && e.EventBusName ? e.EventBusName : 'default';
      const bus = [...this.buses.values()].find((x) => x.Name === busRef || x.Arn === busRef);
      if (!bus)
        return {
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `Event bus ${busRef} does not exist.`,
        };
      const EventId = randomUUID();
      const event = {
        version: '0',
        id: EventId,
        'detail-type': e.DetailType,
        source: e.Source,
        account: ACCOUNT,
        time: typeof e.Time === 'number' ? new Date(e.Time * 1000).toISOString() : new Date().toISOString(),
        region: this.region,
        resources: Array.isArray(e.Resources) ? e.Resources : [],
        detail,
      };
      const rec = this.delivery.record({
        bus: bus.Name,
        eventId: EventId,
        event,
        matches: [],
        deliveries: [],
        notes: [
          'AWS emulator: the EventBridge entry is logged exactly; an event integration hands matching events to Amazon Connect only (no http target), so nothing is delivered.',
        ],
      });
      for (const i of this.integrations.values()) {
        if (i.EventBridgeBus !== bus.Name && i.EventBridgeBus !== bus.Arn) continue;
        // EventFilter.Source is compared exactly (AppIntegrations API reference, EventFilter).
        const matched = String(e.Source) === i.EventFilter.Source;
        rec.matches.push({
          integration: i.EventIntegrationArn,
          name: i.Name,
          matched,
          reason: `EventFilter.Source ${JSON.stringify(i.EventFilter.Source)} ${matched ? 'equals' : 'does not equal'} source ${JSON.stringify(e.Source)}`,
        });
        if (matched)
          rec.deliveries.push({
            integration: i.EventIntegrationArn,
            target: 'Amazon Connect',
            destination: `Amazon Connect instances associated with ${i.Name}`,
            attempts: 0,
            status: 'not-delivered',
            note: 'would be handed to Amazon Connect; the emulator has no Connect instance',
            attemptLog: [],
          });
      }
      return { EventId };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }
}
