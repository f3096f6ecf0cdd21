/**
 * `polybus/core`: the neutral model whole, importable on its own, for tools built on polybus: the
 * zod schemas of resources, specs and filters, capability constants, the plan/apply/migrate
 * engine, and the provider contract with its definition type. No adapter is reachable from here,
 * and importing it loads no CLI library and no HTTP client. The root entry `polybus` is the
 * curated subset a user needs; helpers for adapter authors live in `polybus/adapter-kit`.
 */
export {
  ATTRIBUTE_CLASSES,
  buildMatrix,
  type CapabilitySet,
  type Cell,
  cellOf,
  FEATURES,
  type Feature,
  isCallable,
  NOT_DECLARED,
  type KindCapabilities,
  type Matrix,
  type MatrixRow,
  OPERATIONS,
  type Operation,
  ROUTING_DELIVERY,
  ROUTING_DIALECTS,
  ROUTING_KEYS,
  ROUTING_TARGET_KINDS,
  type RoutingKey,
  SUPPORT_LEVELS,
  type Support,
  supports,
} from './model/capabilities.js';
export { type ContainerOptions, type CredentialSource, type Env, Polybus } from './runtime/container.js';
export type {
  AnyProviderDefinition,
  EmulatedThrottle,
  NativeCall,
  NativeRouting,
  ProviderDefinition,
  StartedEmulator,
} from './contract/definition.js';
export {
  ERROR_CODES,
  type ErrorCode,
  isPolybusError,
  isRetryableCode,
  PolybusError,
  type PolybusErrorInit,
  type PolybusErrorJSON,
  type ValidationIssue,
} from './model/errors.js';
export {
  type CloudEventLike,
  CloudEventSchema,
  canonicalFilter,
  FILTER_DIALECTS,
  type Filter,
  FilterSchema,
  LegacySourceFilterSchema,
  type MatchResult,
  matches,
  normalizeFilter,
  REQUIRED_ATTRIBUTES,
  SpecFilterSchema,
  STRING_DIALECTS,
  serializeFilter,
} from './model/filter.js';
export * from './engine/migrate.js';
export * from './engine/verify.js';
export {
  type AssignedField,
  type Bus,
  BusSchema,
  CONNECTION_KINDS,
  type Connection,
  ConnectionSchema,
  type CreateBusInput,
  CreateBusInputSchema,
  type CreateConnectionInput,
  CreateConnectionInputSchema,
  type CreateIntegrationInput,
  CreateIntegrationInputSchema,
  type CreateSourceInput,
  CreateSourceInputSchema,
  ExtensionsSchema,
  type FilterInput,
  type Integration,
  IntegrationSchema,
  KafkaSchema,
  NetworkSchema,
  type Page,
  RESOURCE_KINDS,
  type Resource,
  ResourceBaseSchema,
  type ResourceKind,
  type ResourceRef,
  ResourceRefSchema,
  SOURCE_KINDS,
  type Source,
  SourceSchema,
  TagsSchema,
  type UpdateBusInput,
  UpdateBusInputSchema,
  type UpdateConnectionInput,
  UpdateConnectionInputSchema,
  type UpdateIntegrationInput,
  UpdateIntegrationInputSchema,
  type UpdateSourceInput,
  UpdateSourceInputSchema,
  type WithoutAssigned,
} from './model/resources.js';
export * from './engine/plan/index.js';
export {
  type DeadLetter,
  DeadLetterSchema,
  type Delivery,
  DeliverySchema,
  FunctionTargetSchema,
  HttpTargetSchema,
  KafkaTargetSchema,
  LogTargetSchema,
  type Retry,
  RetrySchema,
  type RoutingProblem,
  routingProblems,
  TARGET_KINDS,
  type Target,
  type TargetKind,
  TargetSchema,
  TargetsSchema,
  type Transform,
  TransformSchema,
} from './model/routing.js';
export * from './engine/apply.js';
export { API_OF_KIND, type AnyResourceApi, apiOf, collect } from './runtime/resources.js';
export { type CallOptions, type ListOptions, type ResourceApi } from './contract/calls.js';
export {
  type EventProvider,
  type Mutability,
  type MutabilityTable,
  type NameScope,
  type ReplaceStrategy,
  SPECIFICATION_VERSION,
} from './contract/provider.js';
export { REDACTED } from './runtime/redact.js';
export * from './spec/yaml.js';
export * from './spec/schema.js';
export * from './spec/json-schema.js';
export * from './spec/interpolate.js';
export * from './spec/locate.js';
export * from './spec/load.js';
export {
  type Clock,
  DEFAULT_RETRY,
  type RateLimit,
  type RequestEvent,
  type ResponseEvent,
  type RetryPolicy,
  systemClock,
  Transport,
  type TransportObserver,
  type TransportOptions,
} from './runtime/transport.js';
export {
  type CloudEvent,
  type PublishFailure,
  type PublishResult,
  PublishEventSchema,
  prepareEvent,
} from './model/events.js';
export {
  type PublishOptions,
  type TraceDelivery,
  type TraceMatch,
  type TraceOptions,
  type TraceReport,
} from './contract/publish.js';
export { cloudEventFromHttp, cloudEventHttpRequest, type ContentMode } from './model/cloudevents-http.js';
