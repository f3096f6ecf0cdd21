/**
 * The emulated state of one account x region: event integrations with their associations and
 * ClientTokens, EventBridge buses; and the finders by name and ARN the handlers share.
 */
import { AwsError } from './errors.js';

/** An emulated connection; `AuthParameters` hold the secrets and are never answered. */
export interface EmulatedConnection {
  Name: string;
  ConnectionArn: string;
  AuthorizationType: string;
  AuthParameters: Record<string, unknown>;
  Description?: string;
  ConnectionState: string;
  CreationTime: number;
  LastModifiedTime: number;
}

/** An emulated API destination. */
export interface EmulatedApiDestination {
  Name: string;
  ApiDestinationArn: string;
  ConnectionArn: string;
  InvocationEndpoint: string;
  HttpMethod: string;
  InvocationRateLimitPerSecond?: number;
  Description?: string;
  ApiDestinationState: string;
  CreationTime: number;
  LastModifiedTime: number;
}

/** An emulated rule. */
export interface EmulatedRule {
  Name: string;
  Arn: string;
  EventBusName: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: string;
  Description?: string;
  RoleArn?: string;
  ManagedBy?: string;
  CreatedBy: string;
  Tags: Record<string, string>;
  Targets: Record<string, unknown>[];
}

/** The default account: of the default credentials, and the one read outside a request. */
export const ACCOUNT = '123456789012';

/** Now in epoch seconds (millisecond precision), the JSON 1.1 protocol's timestamp form. */
export const epochSeconds = (ms: number = Date.now()) => ms / 1000;

/** An emulated event integration. */
export interface Integration {
  Name: string;
  Description?: string;
  EventIntegrationArn: string;
  EventBridgeBus: string;
  EventFilter: { Source: string };
  Tags: Record<string, string>;
}

/** An emulated EventBridge bus. */
export interface EmulatedBus {
  Name: string;
  Arn: string;
  Tags: Record<string, string>;
  /** Epoch seconds, as the JSON 1.1 protocol serializes a timestamp (DescribeEventBus, ListEventBuses). */
  CreationTime: number;
  /** Epoch seconds; UpdateEventBus moves it. */
  LastModifiedTime: number;
  Description?: string;
  KmsKeyIdentifier?: string;
  DeadLetterConfig?: { Arn: string };
  LogConfig?: { IncludeDetail?: string; Level?: string };
}

/** The state of one `ACCOUNT/REGION` scope. */
export interface AwsScopeState {
  account: string;
  region: string;
  integrations: Map<string, Integration>;
  associations: Map<string, { EventIntegrationAssociationId: string; ClientId: string }[]>;
  tokens: Map<string, { fingerprint: string; arn: string }>;
  buses: Map<string, EmulatedBus>;
  /**
   * Partner event sources offered to this account and region (`aws.partner/...`), as a SaaS
   * partner creates them; CreateEventBus with an EventSourceName needs one of them.
   */
  partnerSources: Set<string>;
  /** EventBridge rules by `bus/name`, each with its targets. */
  rules: Map<string, EmulatedRule>;
  /** EventBridge connections by name (their AuthParameters are never answered). */
  connections: Map<string, EmulatedConnection>;
  /** API destinations by name. */
  apiDestinations: Map<string, EmulatedApiDestination>;
}

/**
 * The state of the scope being served, each field read from `scopes.current` when used (so a
 * scope's state is created on first use, as the emulator's own getters do).
 */
export function currentScope(scopes: { readonly current: AwsScopeState }): AwsScopeState {
  return {
    get account() {
      return scopes.current.account;
    },
    get region() {
      return scopes.current.region;
    },
    get integrations() {
      return scopes.current.integrations;
    },
    get associations() {
      return scopes.current.associations;
    },
    get tokens() {
      return scopes.current.tokens;
    },
    get buses() {
      return scopes.current.buses;
    },
    get partnerSources() {
      return scopes.current.partnerSources;
    },
    get rules() {
      return scopes.current.rules;
    },
    get connections() {
      return scopes.current.connections;
    },
    get apiDestinations() {
      return scopes.current.apiDestinations;
    },
  };
}

/** The event integration named `name`, else ResourceNotFoundException. */
export function findIntegration(s: AwsScopeState, name: string): Integration {
  const it = s.integrations.get(name);
  if (!it) throw new AwsError('ResourceNotFoundException', `Event integration ${name} not found.`);
  return it;
}

/** The event integration of ARN `arn`, else ResourceNotFoundException. */
export function integrationByArn(s: AwsScopeState, arn: string): Integration {
  const it = [...s.integrations.values()].find((i) => i.EventIntegrationArn === arn);
  if (!it) throw new AwsError('ResourceNotFoundException', `Resource ${arn} not found.`);
  return it;
}

/** The bus named `name` (the default bus when none is named), else ResourceNotFoundException. */
export function eventBus(s: AwsScopeState, name: unknown) {
  const bus = s.buses.get(typeof name === 'string' && name ? name : 'default');
  if (!bus) throw new AwsError('ResourceNotFoundException', `Event bus ${String(name)} does not exist.`, 400);
  return bus;
}

/**
 * The taggable EventBridge resource of ARN `arn` (a bus or a rule: both keep a `Tags` map), else
 * ResourceNotFoundException.
 */
export function busByArn(s: AwsScopeState, arn: unknown): { Tags: Record<string, string> } {
  const bus = [...s.buses.values(), ...s.rules.values()].find((b) => b.Arn === arn);
  if (!bus) throw new AwsError('ResourceNotFoundException', `Resource ${String(arn)} not found.`, 400);
  return bus;
}
