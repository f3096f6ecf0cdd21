/**
 * The AWS emulator's server: accepted credentials and options, per account x region state, and
 * each request's path from routing through SigV4 verification and injected faults to its handler.
 */
import { DeliveryEngine } from '../../../testing/delivery.js';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  applyTransportFault,
  LoopbackEmulator,
  type LoopbackRequest,
  ScopedState,
  sendJson,
} from '../../../testing/loopback.js';
import type { AwsCredentials } from '../auth.js';
import {
  createIntegration,
  deleteIntegration,
  getIntegration,
  listAssociations,
  listIntegrations,
  updateIntegration,
} from './appintegrations.js';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses, updateEventBus } from './buses.js';
import { AwsError } from './errors.js';
import { receiveEvents } from './events.js';
import {
  createApiDestination,
  createConnection,
  deleteApiDestination,
  deleteConnection,
  describeApiDestination,
  describeConnection,
  listApiDestinations,
  listConnections,
  updateApiDestination,
} from './destinations.js';
import {
  deleteRule,
  describeRule,
  listRules,
  listTargetsByRule,
  putRule,
  putTargets,
  removeTargets,
  setRuleState,
  testEventPattern,
} from './rules.js';
import { verifySignature } from './sigv4.js';
import { ACCOUNT, type AwsScopeState, currentScope, epochSeconds } from './state.js';
import {
  listBusTags,
  listIntegrationTags,
  tagBus,
  tagIntegration,
  untagBus,
  untagIntegration,
} from './tags.js';

/** Credentials the emulator accepts by default (emulator-only, not anyone's secret). */
export const AWS_EMULATOR_CREDENTIALS: AwsCredentials = {
  accessKeyId: 'AKIAPOLYBUSEMULATOR0',
  secretAccessKey: 'polybus-emulator-aws-secret-access-key',
};
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
  /**
   * Partner event sources (`aws.partner/...`) every account and region is offered, as SaaS
   * partners create them (default none); {@link AwsEmulator.addPartnerEventSource} adds one later.
   */
  partnerEventSources?: string[];
  port?: number;
}

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
  readonly scopes: ScopedState<AwsScopeState>;
  /** The state the handlers work on: the request's scope, read when used. */
  private readonly state: AwsScopeState;
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
        const now = epochSeconds();
        const defaultBus = { Name: 'default', Arn: arn, Tags: {}, CreationTime: now, LastModifiedTime: now };
        return {
          account,
          region,
          integrations: new Map(),
          associations: new Map(),
          tokens: new Map(),
          buses: new Map([['default', defaultBus]]),
          partnerSources: new Set(o.partnerEventSources ?? []),
          rules: new Map(),
          connections: new Map(),
          apiDestinations: new Map(),
        };
      },
      `${ACCOUNT}/${o.region ?? 'us-east-1'}`,
    );
    this.state = currentScope(this.scopes);
  }

  get integrations() {
    return this.scopes.current.integrations;
  }
  get associations() {
    return this.scopes.current.associations;
  }
  /** EventBridge buses by name; the account's default bus always exists. */
  get buses() {
    return this.scopes.current.buses;
  }

  /** Starts an emulator on 127.0.0.1. */
  static async start(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
    const emu = new AwsEmulator(options);
    await emu.listen(options.port ?? 0);
    return emu;
  }

  /**
   * Offers a partner event source to the account and region read outside a request (as a SaaS
   * partner does with CreatePartnerEventSource): CreateEventBus can then match a partner bus to it.
   */
  addPartnerEventSource(name: string): void {
    if (!name.startsWith('aws.partner/'))
      throw new TypeError('a partner event source is named aws.partner/...');
    this.scopes.current.partnerSources.add(name);
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
        const scope = verifySignature(this.credentials, req, route.service);
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
          run: () => createIntegration(this.state, body(), this.quota),
        };
      if (parts.length === 1 && m === 'GET')
        return {
          service: 'app-integrations',
          operation: 'ListEventIntegrations',
          run: () => listIntegrations(this.state, req.url.searchParams),
        };
      const name = parts[1] ?? '';
      if (parts.length === 2 && m === 'GET')
        return {
          service: 'app-integrations',
          operation: 'GetEventIntegration',
          run: () => getIntegration(this.state, name),
        };
      if (parts.length === 2 && m === 'PATCH')
        return {
          service: 'app-integrations',
          operation: 'UpdateEventIntegration',
          run: () => updateIntegration(this.state, name, body()),
        };
      if (parts.length === 2 && m === 'DELETE')
        return {
          service: 'app-integrations',
          operation: 'DeleteEventIntegration',
          run: () => deleteIntegration(this.state, name),
        };
      if (parts.length === 3 && parts[2] === 'associations' && m === 'GET') {
        return {
          service: 'app-integrations',
          operation: 'ListEventIntegrationAssociations',
          run: () => listAssociations(this.state, name, req.url.searchParams),
        };
      }
    }
    if (parts[0] === 'tags' && parts.length === 2) {
      const arn = parts[1]!;
      if (m === 'POST')
        return {
          service: 'app-integrations',
          operation: 'TagResource',
          run: () => tagIntegration(this.state, arn, body()),
        };
      if (m === 'DELETE')
        return {
          service: 'app-integrations',
          operation: 'UntagResource',
          run: () => untagIntegration(this.state, arn, req.url.searchParams.getAll('tagKeys')),
        };
      if (m === 'GET')
        return {
          service: 'app-integrations',
          operation: 'ListTagsForResource',
          run: () => listIntegrationTags(this.state, arn),
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

  /**
   * Target ids whose PutTargets / RemoveTargets entries fail alone (FailedEntries, HTTP 200): the
   * emulator's fault for partial failures.
   */
  readonly failingTargets = new Set<string>();

  /** EventBridge rules of the scope read outside a request, by `bus/name`. */
  get rules() {
    return this.scopes.current.rules;
  }

  /**
   * Makes a rule as another service does (AppIntegrations makes such rules): `ManagedBy` set, so
   * polybus must never touch it.
   */
  addManagedRule(bus: string, name: string, managedBy: string, pattern: Record<string, unknown>): void {
    const s = this.scopes.current;
    const arn = `arn:aws:events:${s.region}:${s.account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
    s.rules.set(`${bus}/${name}`, {
      Name: name,
      Arn: arn,
      EventBusName: bus,
      EventPattern: JSON.stringify(pattern),
      State: 'ENABLED',
      ManagedBy: managedBy,
      CreatedBy: s.account,
      Tags: {},
      Targets: [],
    });
  }

  /** Requests that passed signature verification, per operation with the parsed JSON body. */
  readonly received: { operation: string; body: Record<string, unknown> }[] = [];

  /** EventBridge JSON 1.1 actions (X-Amz-Target: AWSEvents.<Action>). */
  private readonly eventBridge: Record<string, (b: Record<string, unknown>) => unknown> = {
    PutEvents: (b) => receiveEvents(this.state, this.delivery, b),
    PutRule: (b) => putRule(this.state, b),
    DescribeRule: (b) => describeRule(this.state, b),
    ListRules: (b) => listRules(this.state, b),
    EnableRule: (b) => setRuleState(this.state, b, 'ENABLED'),
    DisableRule: (b) => setRuleState(this.state, b, 'DISABLED'),
    DeleteRule: (b) => deleteRule(this.state, b),
    PutTargets: (b) => putTargets(this.state, b, this.failingTargets),
    RemoveTargets: (b) => removeTargets(this.state, b, this.failingTargets),
    ListTargetsByRule: (b) => listTargetsByRule(this.state, b),
    TestEventPattern: (b) => testEventPattern(b),
    CreateConnection: (b) => createConnection(this.state, b),
    DescribeConnection: (b) => describeConnection(this.state, b),
    ListConnections: (b) => listConnections(this.state, b),
    DeleteConnection: (b) => deleteConnection(this.state, b),
    CreateApiDestination: (b) => createApiDestination(this.state, b),
    DescribeApiDestination: (b) => describeApiDestination(this.state, b),
    ListApiDestinations: (b) => listApiDestinations(this.state, b),
    UpdateApiDestination: (b) => updateApiDestination(this.state, b),
    DeleteApiDestination: (b) => deleteApiDestination(this.state, b),
    CreateEventBus: (b) => createEventBus(this.state, b),
    DescribeEventBus: (b) => describeEventBus(this.state, b),
    UpdateEventBus: (b) => updateEventBus(this.state, b),
    ListEventBuses: (b) => listEventBuses(this.state, b),
    DeleteEventBus: (b) => deleteEventBus(this.state, b),
    TagResource: (b) => tagBus(this.state, b),
    UntagResource: (b) => untagBus(this.state, b),
    ListTagsForResource: (b) => listBusTags(this.state, b),
  };

  // --- Publishing (issue 17): EventBridge PutEvents accepted and logged; nothing delivered ---

  /** The event log: each entry, and which event integrations would hand it to Amazon Connect. */
  readonly delivery = new DeliveryEngine('aws');
}
