/**
 * `polybus/adapter-kit`: the helpers the bundled adapters are built from, for people writing an
 * adapter of their own (response parsing, pagination, create-with-lookup, the container's wiring,
 * the loopback emulator base). Users of the library need none of it; it must never be re-exported
 * from the root entry.
 */
export { cell, unsupportedKind, unsupportedSettings } from './core/model/capabilities.js';
export {
  bindCredentials,
  bindProviderOptions,
  containerOf,
  polybusOver,
  createContainer,
  type ProviderContext,
  type ProviderFactory,
  registeredProviders,
  registerProvider,
  TYPES,
} from './core/runtime/container.js';
export {
  checkedRegion,
  originOption,
  type RegionForm,
  regionOption,
  regionRule,
} from './core/runtime/options.js';
export type {
  AnyProviderDefinition,
  EmulatedThrottle,
  NativeCall,
  NativeRouting,
  ProviderDefinition,
  StartedEmulator,
} from './core/contract/definition.js';
export {
  AMBIGUOUS_CODES,
  cancelled,
  invalidArgument,
  ruleForHttpStatus,
  unsupported,
} from './core/model/errors.js';
export * from './testing/loopback.js';
export {
  attributeProblem,
  comparisonOf,
  conjunctiveNormalForm,
  describeLiteral,
  dialectOf,
  filterIssues,
  negationNormalForm,
  stringConditionHolds,
} from './core/model/filter.js';
export {
  bodyExcerpt,
  compact,
  fieldPath,
  issuesOf,
  parseInput,
  parseResponse,
  protoKeyIssues,
  toIsoTime,
} from './core/runtime/parse.js';
export { nativeExtensions, unknownExtensionKeys } from './core/model/resources.js';
export { assertMutable, parseEndpoint, valueAt } from './core/runtime/checks.js';
export {
  createWithLookup,
  findFirst,
  lookupAfterWrite,
  READ_AFTER_WRITE_DELAYS_MS,
  readAfterWrite,
  type WaitContext,
} from './core/runtime/read-after-write.js';
export { flatMapAsync, guardProvider, mapAsync, paginate, unsupportedApi } from './core/runtime/resources.js';
export {
  isSecretEnvName,
  isSecretField,
  isSecretHeader,
  redactBody,
  redactCutText,
  redactHeaders,
  redactText,
  redactUrlUserinfo,
  redactValue,
  registerSecret,
  registerSecretsFromEnv,
  URL_MASK,
} from './core/runtime/redact.js';
export {
  accepted,
  exactlyOneFilter,
  type NativeFilter,
  nativeFilterIn,
  refused,
  type RoutingLimits,
  type RoutingTranslator,
  targetCountProblems,
  type Translation,
} from './core/model/routing.js';
export {
  backoffDelay,
  type CallContext,
  type HttpRequest,
  type HttpResponse,
  parseRetryAfter,
  RateLimiter,
} from './core/runtime/transport.js';
export {
  DELIVERY_LOG_PATH,
  type DeliveryRecord,
  LOOPBACK_HOSTS,
  readDeliveryLog,
} from './core/runtime/delivery-log.js';
export { DeliveryEngine, type HttpRetry } from './testing/delivery.js';
export { encodeHeaderValue } from './core/model/cloudevents-http.js';
export {
  batchEntries,
  type EntryOutcome,
  extensionRefusal,
  type MemberRefusal,
  memberRefusal,
  notFoundTrace,
  sendWithResend,
} from './core/runtime/publishing.js';
export {
  CLOUDEVENT_MEMBERS,
  type EventInputIssue,
  extensionsOf,
  isJsonContentType,
  refusedEvent,
  requestFailure,
} from './core/model/events.js';
