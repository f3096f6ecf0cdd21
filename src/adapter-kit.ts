/**
 * `polybus/adapter-kit`: the helpers the bundled adapters are built from, for people writing an
 * adapter of their own (response parsing, pagination, create-with-lookup, the container's wiring,
 * the loopback emulator base). Users of the library need none of it; it must never be re-exported
 * from the root entry.
 */
export { cell, unsupportedKind, unsupportedSettings } from './core/capabilities.js';
export {
  bindCredentials,
  bindProviderOptions,
  createContainer,
  type ProviderContext,
  type ProviderFactory,
  registerProvider,
  TYPES,
} from './core/container.js';
export {
  AMBIGUOUS_CODES,
  cancelled,
  invalidArgument,
  ruleForHttpStatus,
  unsupported,
} from './core/errors.js';
export * from './core/loopback.js';
export {
  attributeProblem,
  comparisonOf,
  conjunctiveNormalForm,
  describeLiteral,
  dialectOf,
  filterIssues,
  negationNormalForm,
  stringConditionHolds,
} from './core/filter.js';
export {
  bodyExcerpt,
  compact,
  issuesOf,
  nativeExtensions,
  parseInput,
  parseResponse,
  toIsoTime,
  unknownExtensionKeys,
} from './core/model.js';
export {
  assertMutable,
  createWithLookup,
  findFirst,
  flatMapAsync,
  guardProvider,
  lookupAfterWrite,
  mapAsync,
  paginate,
  parseEndpoint,
  READ_AFTER_WRITE_DELAYS_MS,
  readAfterWrite,
  type WaitContext,
  unsupportedApi,
  valueAt,
} from './core/provider.js';
export {
  isSecretField,
  isSecretHeader,
  redactBody,
  redactHeaders,
  redactText,
  redactUrlUserinfo,
  redactValue,
  registerSecret,
  registerSecretsFromEnv,
  URL_MASK,
} from './core/redact.js';
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
} from './core/routing.js';
export {
  backoffDelay,
  type CallContext,
  type HttpRequest,
  type HttpResponse,
  parseRetryAfter,
  RateLimiter,
} from './core/transport.js';
export {
  DELIVERY_LOG_PATH,
  DeliveryEngine,
  type DeliveryRecord,
  encodeHeaderValue,
  type HttpRetry,
  readDeliveryLog,
} from './core/delivery.js';
export {
  batchEntries,
  CLOUDEVENT_MEMBERS,
  type EntryOutcome,
  type EventInputIssue,
  extensionRefusal,
  extensionsOf,
  isJsonContentType,
  type MemberRefusal,
  memberRefusal,
  notFoundTrace,
  refusedEvent,
  requestFailure,
  sendWithResend,
} from './core/publish.js';
