/**
 * Neutral routing <-> Azure Event Grid event subscriptions: the neutral filter as the
 * subscription filter (exact or refused), its exact neutral reading back, and targets/delivery as
 * the subscription's one `destination`, `retryPolicy` and `deliveryWithResourceIdentity`-free
 * settings. Pure: no network.
 *
 * Exactness: Event Grid compares strings without regard to case (advanced filters and, as polybus
 * reads it, `includedEventTypes`); only `subjectBeginsWith`/`subjectEndsWith` are case-sensitive,
 * with `isSubjectCaseSensitive: true`. The neutral filter is case-sensitive, so a comparison whose
 * value has cased letters is refused unless the provider was told to accept case-insensitive
 * matching (`caseInsensitiveMatch: 'accept'`); `not` on an attribute an event may lack (subject,
 * extensions, data fields) is refused: a NOT operator's outcome on an absent key is not one
 * polybus relies on.
 */
import {
  conjunctiveNormalForm,
  canonicalFilter,
  describeLiteral,
  type Filter,
  type Literal,
  REQUIRED_ATTRIBUTES,
} from '../../core/model/filter.js';
import {
  accepted,
  type Delivery,
  refused,
  type RoutingLimits,
  type RoutingTranslator,
  type Target,
  targetCountProblems,
  type Translation,
} from '../../core/model/routing.js';
import { type AzureAdvancedFilter, type AzureFilter, validateAzureFilter } from './filter.js';

const P = 'azure';

/** Whether string comparisons of Event Grid (case-insensitive) may stand for neutral ones. */
export type CaseMode = 'refuse' | 'accept';

/** True when a string reads the same in every case (no cased letters). */
export const caseless = (s: string) => s.toLowerCase() === s.toUpperCase();

const OPS = {
  'false:exact': 'StringIn',
  'false:prefix': 'StringBeginsWith',
  'false:suffix': 'StringEndsWith',
  'true:exact': 'StringNotIn',
  'true:prefix': 'StringNotBeginsWith',
  'true:suffix': 'StringNotEndsWith',
} as const;

/** Where the documented rules come from, for reasons. */
const DOC = 'Event Grid "event filtering": string comparisons are not case-sensitive';

/** Checks one literal; a reason when it cannot be exact. */
function literalProblem(l: Literal, mode: CaseMode, subjectSimple: boolean): string | undefined {
  if (l.negated && !(REQUIRED_ATTRIBUTES as readonly string[]).includes(l.attr))
    return `\`${describeLiteral(l)}\`: not on \`${l.attr}\`, which an event may lack, is refused (the neutral not holds for an absent attribute; polybus does not rely on a NOT operator's outcome on an absent key)`;
  if (mode === 'refuse' && !subjectSimple && !caseless(l.value))
    return `\`${describeLiteral(l)}\`: ${DOC}, so a value with letters would also match other cases (set the azure option caseInsensitiveMatch: accept to allow it)`;
  if (l.value.length > 512) return `\`${describeLiteral(l)}\`: a string value has at most 512 characters`;
  return undefined;
}

/**
 * The subscription filter that matches exactly the events `filter` matches (under `mode`), or
 * why there is none. Each AND-ed clause of the filter's conjunctive form becomes one part:
 * `includedEventTypes` (positive exact type), `subjectBeginsWith`/`subjectEndsWith` (one
 * case-sensitive prefix/suffix of subject), else one advanced filter on one key.
 */
export function azureFilterFromFilter(filter: Filter, mode: CaseMode = 'refuse'): Translation<AzureFilter> {
  const cnf = conjunctiveNormalForm(filter);
  if (!cnf.ok) return refused(`Azure filter: ${cnf.reason}`);
  const reasons: string[] = [];
  const out: AzureFilter = {};
  const advanced: AzureAdvancedFilter[] = [];
  const negatedByOp = new Map<string, AzureAdvancedFilter>();
  for (const clause of cnf.cnf) {
    const attrs = [...new Set(clause.map((l) => l.attr))];
    const kinds = [...new Set(clause.map((l) => `${l.negated}:${l.dialect}`))];
    if (attrs.length > 1 || kinds.length > 1) {
      reasons.push(
        `\`${clause.map(describeLiteral).join(' or ')}\`: one condition compares one key with one operator (its values OR); alternatives across keys or operators cannot be expressed`,
      );
      continue;
    }
    const [first] = clause as [Literal];
    const single = clause.length === 1;
    const subjectSimple =
      single &&
      !first.negated &&
      first.attr === 'subject' &&
      ((first.dialect === 'prefix' && out.subjectBeginsWith === undefined) ||
        (first.dialect === 'suffix' && out.subjectEndsWith === undefined));
    if (first.negated && !single) {
      reasons.push(
        `\`${clause.map(describeLiteral).join(' or ')}\`: an OR of negations cannot be expressed (NOT operators AND over their values)`,
      );
      continue;
    }
    const problems = clause.map((l) => literalProblem(l, mode, subjectSimple)).filter((p) => p !== undefined);
    if (problems.length) {
      reasons.push(...problems);
      continue;
    }
    if (subjectSimple) {
      if (first.dialect === 'prefix') out.subjectBeginsWith = first.value;
      else out.subjectEndsWith = first.value;
      out.isSubjectCaseSensitive = true;
      continue;
    }
    if (!first.negated && first.dialect === 'exact' && first.attr === 'type' && !out.includedEventTypes) {
      out.includedEventTypes = clause.map((l) => l.value);
      continue;
    }
    const op = OPS[`${first.negated}:${first.dialect}`];
    if (first.negated) {
      // NOT operators hold when no value matches: several negations on one key merge.
      const key = `${op}:${first.attr}`;
      const same = negatedByOp.get(key);
      if (same) same.values!.push(first.value);
      else {
        const f: AzureAdvancedFilter = { operatorType: op, key: first.attr, values: [first.value] };
        negatedByOp.set(key, f);
        advanced.push(f);
      }
      continue;
    }
    advanced.push({ operatorType: op, key: first.attr, values: clause.map((l) => l.value) });
  }
  if (advanced.length) {
    out.advancedFilters = advanced;
    // The neutral comparisons hold on an array when one string element does.
    out.enableAdvancedFilteringOnArrays = true;
  }
  if (!reasons.length)
    reasons.push(...validateAzureFilter(out).map((r) => `over the documented limits: ${r}`));
  return reasons.length ? refused(...reasons.map((r) => `Azure filter: ${r}`)) : accepted(out);
}

const READ: Record<string, { dialect: 'exact' | 'prefix' | 'suffix'; negated: boolean }> = {
  StringIn: { dialect: 'exact', negated: false },
  StringBeginsWith: { dialect: 'prefix', negated: false },
  StringEndsWith: { dialect: 'suffix', negated: false },
  StringNotIn: { dialect: 'exact', negated: true },
  StringNotBeginsWith: { dialect: 'prefix', negated: true },
  StringNotEndsWith: { dialect: 'suffix', negated: true },
};

const cmp = (dialect: string, attr: string, value: string): Filter =>
  ({ [dialect]: { [attr]: value } }) as Filter;

/**
 * The neutral filter of a subscription filter, where it has an exact reading (under `mode`):
 * the forms {@link azureFilterFromFilter} writes. Undefined otherwise (numbers, booleans, null
 * checks, contains, a case-insensitive subject or cased values under `refuse`).
 */
export function filterFromAzureFilter(f: AzureFilter, mode: CaseMode = 'refuse'): Filter | undefined {
  const parts: Filter[] = [];
  const okCase = (s: string) => mode === 'accept' || caseless(s);
  if (f.includedEventTypes) {
    if (!f.includedEventTypes.length || !f.includedEventTypes.every(okCase)) return undefined;
    parts.push({ any: f.includedEventTypes.map((t) => cmp('exact', 'type', t)) });
  }
  for (const [k, dialect] of [
    ['subjectBeginsWith', 'prefix'],
    ['subjectEndsWith', 'suffix'],
  ] as const) {
    const v = f[k];
    if (!v) continue;
    if (f.isSubjectCaseSensitive !== true && !okCase(v)) return undefined;
    parts.push(cmp(dialect, 'subject', v));
  }
  const arrays = f.enableAdvancedFilteringOnArrays === true;
  for (const a of f.advancedFilters ?? []) {
    const read = READ[a.operatorType];
    const values = a.values ?? [];
    if (!read || !values.length || !values.every((v) => typeof v === 'string' && okCase(v))) return undefined;
    const required = (REQUIRED_ATTRIBUTES as readonly string[]).includes(a.key);
    if (read.negated && !required) return undefined;
    // Without array filtering a data field holding an array never matches: no neutral reading.
    if (!arrays && !required && a.key !== 'subject') return undefined;
    const each = (values as string[]).map((v) => cmp(read.dialect, a.key, v));
    parts.push(read.negated ? { all: each.map((e) => ({ not: e })) } : { any: each });
  }
  return parts.length ? canonicalFilter({ all: parts }) : undefined;
}

/** Event Grid endpoint types polybus maps neutral target kinds to. */
export const AZURE_ENDPOINT_TYPES = { http: 'WebHook', function: 'AzureFunction' } as const;

/** `properties.destination` of an event subscription, as polybus writes it. */
export interface AzureDestination {
  endpointType: string;
  properties: Record<string, unknown>;
}

/** The routing part of an event subscription: destination and retry policy. */
export interface AzureRoute {
  destination: AzureDestination;
  retryPolicy?: { maxDeliveryAttempts: number; eventTimeToLiveInMinutes: number };
}

/** Azure's routing limits: one destination per event subscription. */
export const AZURE_ROUTING_LIMITS: RoutingLimits = {
  minTargets: 1,
  maxTargets: 1,
  targetKinds: ['http', 'function'],
  source: 'Event Grid event subscriptions: exactly one destination each',
};

/** Retry policy bounds (EventSubscription.retryPolicy). */
export const AZURE_RETRY = { minAttempts: 1, maxAttempts: 30, defaultAttempts: 30, ttlMinutes: 1440 };

/** An Azure Functions resource id: `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}/functions/{fn}`. */
export const FUNCTION_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/[^/]+\/functions\/[^/]+$/i;

/** Neutral targets + delivery -> the subscription's destination and retry policy. */
export function azureRouteFromNeutral(targets: Target[], delivery?: Delivery): Translation<AzureRoute> {
  const reasons = targetCountProblems(P, targets, AZURE_ROUTING_LIMITS);
  const retry = delivery?.retry;
  if (retry?.backoff || retry?.delaySeconds !== undefined)
    reasons.push(
      "Azure retry: retryPolicy takes maxDeliveryAttempts only; the backoff schedule is the service's",
    );
  if (retry && retry.maxAttempts + 1 > AZURE_RETRY.maxAttempts)
    reasons.push(
      `Azure retry: retryPolicy.maxDeliveryAttempts is 1-30 (the first attempt included): retry.maxAttempts is at most 29, got ${retry.maxAttempts}`,
    );
  if (delivery?.deadLetter)
    reasons.push(
      'Azure dead letter: Event Grid dead-letters to a Storage blob container (deadLetterDestination StorageBlob), not Kafka: give it as extensions.azure.deadLetterDestination',
    );
  let destination: AzureDestination | undefined;
  targets.forEach((t, i) => {
    const at = `targets.${i}`;
    if (t.kind === 'kafka' || t.kind === 'log')
      return void reasons.push(
        `${at}: Event Grid has no ${t.kind} destination (WebHook, AzureFunction, EventHub, ServiceBusQueue, ServiceBusTopic, StorageQueue, HybridConnection)`,
      );
    if (t.transform && t.transform.kind !== 'event')
      return void reasons.push(`${at}: Event Grid delivers the whole event; a transform cannot be expressed`);
    if (t.kind === 'http' && t.connection)
      return void reasons.push(`${at}: Event Grid has no connections; a WebHook is reached directly`);
    const ext = (t.extensions?.azure ?? {}) as Record<string, unknown>;
    const batch = { maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64, ...ext };
    if (t.kind === 'http')
      destination = { endpointType: 'WebHook', properties: { endpointUrl: t.url, ...batch } };
    else if (!FUNCTION_ID.test(t.function))
      reasons.push(
        `${at}: an AzureFunction destination is the function's resource id /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}/functions/{name}`,
      );
    else destination = { endpointType: 'AzureFunction', properties: { resourceId: t.function, ...batch } };
  });
  if (reasons.length || !destination) return refused(...reasons.map((r) => `Azure: ${r}`));
  return accepted({
    destination,
    ...(retry
      ? {
          retryPolicy: {
            maxDeliveryAttempts: retry.maxAttempts + 1,
            eventTimeToLiveInMinutes: AZURE_RETRY.ttlMinutes,
          },
        }
      : {}),
  });
}

/** Destination and retry policy -> neutral targets and delivery (undefined targets: no neutral kind). */
export function azureRouteToNeutral(
  destination: { endpointType?: string; properties?: Record<string, unknown> } | undefined,
  retryPolicy: { maxDeliveryAttempts?: number; eventTimeToLiveInMinutes?: number } | undefined,
  fullUrl?: string,
): { targets?: Target[]; delivery?: Delivery } {
  const props = destination?.properties ?? {};
  let targets: Target[] | undefined;
  if (destination?.endpointType === 'WebHook' && fullUrl) targets = [{ kind: 'http', url: fullUrl }];
  else if (destination?.endpointType === 'AzureFunction' && typeof props.resourceId === 'string')
    targets = [{ kind: 'function', function: props.resourceId }];
  const attempts = retryPolicy?.maxDeliveryAttempts;
  // The service's default policy (30 attempts, 1440 minutes) reads back as no delivery setting.
  const isDefault =
    attempts === undefined ||
    (attempts === AZURE_RETRY.defaultAttempts &&
      (retryPolicy?.eventTimeToLiveInMinutes ?? AZURE_RETRY.ttlMinutes) === AZURE_RETRY.ttlMinutes);
  return {
    ...(targets ? { targets } : {}),
    ...(isDefault ? {} : { delivery: { retry: { maxAttempts: attempts - 1 } } }),
  };
}

/** The Azure routing translator under a case mode. */
export function azureRoutingFor(mode: CaseMode): RoutingTranslator<AzureFilter, AzureRoute> {
  return {
    provider: P,
    limits: AZURE_ROUTING_LIMITS,
    translateFilter: (f) => azureFilterFromFilter(f, mode),
    translateTargets: azureRouteFromNeutral,
  };
}

/** Azure's routing translator (strict: case-insensitive comparisons of cased values refused). */
export const azureRouting = azureRoutingFor('refuse');
