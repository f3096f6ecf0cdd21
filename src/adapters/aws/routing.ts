/**
 * Neutral routing on AWS. An integration with targets is an EventBridge rule (pattern-translate.ts,
 * targets.ts); one without is an AppIntegrations event integration for Amazon Connect. On that
 * path (below) the only filter an event integration has is
 * `EventFilter.Source` (exact, a partner event source `aws.partner/...`), and it has no targets of
 * its own (Amazon Connect binds to it through event integration associations). Everything else is
 * refused with its reason; nothing is approximated or invented.
 */
import { canonicalFilter, comparisonOf, dialectOf, type Filter } from '../../core/model/filter.js';
import { type EventPattern } from './pattern.js';
import { eventPatternFromFilter } from './pattern-translate.js';
import { type AwsTargetEntry, AWS_MAX_TARGETS, awsTargetsFromNeutral } from './targets.js';
import {
  type Delivery,
  nativeFilterIn,
  routingProblems,
  type RoutingProblem,
  refused,
  type RoutingLimits,
  type RoutingTranslator,
  type Target,
  type Translation,
} from '../../core/model/routing.js';

/** The native filter: CreateEventIntegration's `EventFilter`. */
export interface AwsEventFilter {
  Source: string;
}

/** AWS's routing limits: no targets (associations are created by Amazon Connect, reference-only). */
export const AWS_ROUTING_LIMITS: RoutingLimits = {
  minTargets: 0,
  maxTargets: 0,
  targetKinds: [],
  source: 'AppIntegrations CreateEventIntegration (seed 003): EventFilter has one field, Source',
};

/** `EventFilter.Source` rule (AppIntegrations API reference, EventFilter). */
const PARTNER_SOURCE = /^aws\.partner\/.+$/;

/** `exact: { source: "aws.partner/..." }` -> `EventFilter.Source`; anything else is refused. */
export function awsEventFilterFromFilter(filter: Filter): Translation<AwsEventFilter> {
  const f = canonicalFilter(filter);
  const cmp = comparisonOf(f);
  if (!cmp || cmp.dialect !== 'exact' || cmp.attr !== 'source') {
    // Name each condition that cannot move (an `all` lists its members beside an exact source).
    const describe = (g: Filter) => {
      const c = comparisonOf(g);
      return c ? `${c.dialect} on \`${c.attr}\`` : `the \`${dialectOf(g)}\` combinator`;
    };
    const members = 'all' in f ? f.all : [f];
    const kept = members.find((m) => {
      const c = comparisonOf(m);
      return c?.dialect === 'exact' && c.attr === 'source';
    });
    const lost = members.filter((m) => m !== kept).map(describe);
    const what = lost.join(', ');
    return refused(
      `AWS AppIntegrations: EventFilter has one field, Source, compared exactly; ${what} cannot be expressed (only exact: { source: "aws.partner/..." })`,
    );
  }
  if (!PARTNER_SOURCE.test(cmp.value) || cmp.value.length > 256)
    return refused(
      `AWS AppIntegrations: EventFilter.Source must be a partner event source (aws.partner/..., at most 256 characters); got ${JSON.stringify(cmp.value)}`,
    );
  return { ok: true, native: { Source: cmp.value } };
}

/** Targets cannot be created: an event integration delivers only to Amazon Connect, via associations. */
export function connectTargetsFromNeutral(targets: Target[], delivery?: Delivery): Translation<never> {
  const reasons: string[] = [];
  if (targets.length)
    reasons.push(
      `AWS AppIntegrations: an event integration has no targets; Amazon Connect binds to it through event integration associations (ListEventIntegrationAssociations, reference-only): ${targets.length} target(s) cannot be created`,
    );
  if (delivery?.retry || delivery?.deadLetter)
    reasons.push('AWS AppIntegrations: an event integration has no delivery policy (retry, dead letter)');
  return reasons.length
    ? refused(...reasons)
    : refused('AWS AppIntegrations: an event integration has no targets to translate');
}

/** The Amazon Connect path's translator: an integration without targets (an event integration). */
export const appIntegrationsRouting: RoutingTranslator<AwsEventFilter, never> = {
  provider: 'aws',
  limits: AWS_ROUTING_LIMITS,
  translateFilter: awsEventFilterFromFilter,
  translateTargets: connectTargetsFromNeutral,
};

/** EventBridge rules' limits: 5 targets per rule. */
export const AWS_RULE_LIMITS: RoutingLimits = {
  minTargets: 1,
  maxTargets: AWS_MAX_TARGETS,
  targetKinds: ['function', 'log', 'http'],
  source: 'EventBridge quotas: 5 targets per rule',
};

/**
 * AWS's routing translator: an integration with targets is an EventBridge rule (the neutral filter
 * as an event pattern, the targets as PutTargets entries); one without targets is an
 * AppIntegrations event integration ({@link appIntegrationsRouting}).
 */
export const awsRouting: RoutingTranslator<EventPattern, AwsTargetEntry[]> = {
  provider: 'aws',
  limits: AWS_RULE_LIMITS,
  translateFilter: eventPatternFromFilter,
  translateTargets: awsTargetsFromNeutral,
};

/** The routing problems of an integration input, by its shape (rule with targets, or event integration). */
export function awsRoutingProblems(input: Record<string, unknown>): RoutingProblem[] {
  const rule = Array.isArray(input.targets) && input.targets.length > 0;
  if (!rule) {
    const connect = routingProblems(appIntegrationsRouting, input);
    if (!connect.some((p) => p.field === 'filter')) return connect;
    // Not a partner-source filter: as a rule it would need a target; say that, and what of the
    // filter an event pattern cannot say, rather than the event integration's one-field limit.
    const asRule = routingProblems(awsRouting as RoutingTranslator<unknown, unknown>, {
      filter: input.filter,
    });
    return [
      ...asRule,
      {
        field: 'targets',
        rule: 'an EventBridge rule needs at least one target (function, log or http); an integration without targets is an AppIntegrations event integration for Amazon Connect, whose EventFilter is one exact partner source (aws.partner/...)',
      },
    ];
  }
  const native = nativeFilterIn(input, 'aws', 'EventPattern') !== undefined;
  return routingProblems(
    awsRouting as RoutingTranslator<unknown, unknown>,
    native ? { ...input, filter: undefined } : input,
  );
}
