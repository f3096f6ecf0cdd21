/**
 * EventBridge rules and targets on the emulator (JSON 1.1): PutRule (an upsert), DescribeRule,
 * ListRules, EnableRule, DisableRule, DeleteRule (refused while targets remain; rules another
 * service manages are refused without Force), PutTargets (at most 5 per rule; an entry can fail
 * alone, with HTTP 200), RemoveTargets, ListTargetsByRule and TestEventPattern, as the EventBridge
 * API Reference describes them.
 */
import { matchesEventPattern, parsePattern, validateEventPattern, type EventPattern } from '../pattern.js';
import { AwsError, ebInvalid } from './errors.js';
import { type AwsScopeState, eventBus } from './state.js';
import type { EmulatedRule } from './state.js';
export type { EmulatedRule };

/** `Name` of a rule and `Id` of a target (API Reference: 1-64, `[\.\-_A-Za-z0-9]+`). */
export const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** Targets per rule (User Guide, quotas: 5, adjustable; the emulator holds the default). */
export const MAX_TARGETS = 5;

const STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

const ruleKey = (bus: string, name: string) => `${bus}/${name}`;

/** The rule `Name`/`Rule` on `EventBusName`, else ResourceNotFoundException. */
export function findRule(s: AwsScopeState, name: unknown, busName: unknown): EmulatedRule {
  const bus = eventBus(s, busName);
  const rule = s.rules.get(ruleKey(bus.Name, String(name)));
  if (!rule)
    throw new AwsError(
      'ResourceNotFoundException',
      `Rule ${String(name)} does not exist on EventBus ${bus.Name}.`,
      400,
    );
  return rule;
}

function checkName(v: unknown, field: string): string {
  if (typeof v !== 'string' || !RULE_NAME.test(v))
    throw ebInvalid(`${field} must be 1-64 characters of letters, digits, . - and _ ([\\.\\-_A-Za-z0-9]+).`);
  return v;
}

function checkedPattern(v: unknown): string {
  if (typeof v !== 'string')
    throw new AwsError('InvalidEventPatternException', 'Event pattern is not valid JSON.', 400);
  const parsed = parsePattern(v);
  const problems = parsed === undefined ? ['not valid JSON'] : validateEventPattern(parsed);
  if (problems.length)
    throw new AwsError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: ${problems.join('; ')}`,
      400,
    );
  return v;
}

/** PutRule: creates or updates a rule by name on a bus; Tags only on create. */
export function putRule(s: AwsScopeState, b: Record<string, unknown>) {
  const name = checkName(b.Name, 'Name');
  const bus = eventBus(s, b.EventBusName);
  if (b.EventPattern === undefined && b.ScheduleExpression === undefined)
    throw ebInvalid('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  const EventPattern = b.EventPattern === undefined ? undefined : checkedPattern(b.EventPattern);
  if (b.State !== undefined && !STATES.includes(String(b.State)))
    throw ebInvalid(`State must be one of ${STATES.join(', ')}.`);
  if (b.Description !== undefined && (typeof b.Description !== 'string' || b.Description.length > 512))
    throw ebInvalid('Description must be at most 512 characters.');
  const key = ruleKey(bus.Name, name);
  const existing = s.rules.get(key);
  if (existing?.ManagedBy)
    throw new AwsError('ManagedRuleException', `Rule ${name} is managed by ${existing.ManagedBy}.`, 400);
  const Arn = `arn:aws:events:${s.region}:${s.account}:rule/${bus.Name === 'default' ? '' : `${bus.Name}/`}${name}`;
  const tags = Array.isArray(b.Tags) ? (b.Tags as { Key: string; Value: string }[]) : [];
  const rule: EmulatedRule = {
    Name: name,
    Arn,
    EventBusName: bus.Name,
    ...(EventPattern !== undefined ? { EventPattern } : {}),
    ...(typeof b.ScheduleExpression === 'string' ? { ScheduleExpression: b.ScheduleExpression } : {}),
    State: typeof b.State === 'string' ? b.State : 'ENABLED',
    ...(typeof b.Description === 'string' ? { Description: b.Description } : {}),
    ...(typeof b.RoleArn === 'string' ? { RoleArn: b.RoleArn } : {}),
    CreatedBy: s.account,
    Tags: existing?.Tags ?? Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
    Targets: existing?.Targets ?? [],
  };
  s.rules.set(key, rule);
  return { RuleArn: Arn };
}

const describe = (r: EmulatedRule) => {
  const { Tags: _t, Targets: _x, ...rest } = r;
  return rest;
};

/** DescribeRule. */
export const describeRule = (s: AwsScopeState, b: Record<string, unknown>) =>
  describe(findRule(s, b.Name, b.EventBusName));

/** Pages of a list by a numeric NextToken. */
function page<T>(items: T[], b: Record<string, unknown>, max = 100): { items: T[]; next?: string } {
  const limit = typeof b.Limit === 'number' ? b.Limit : max;
  if (limit < 1 || limit > max) throw ebInvalid(`Limit must be 1-${max}.`);
  const start = typeof b.NextToken === 'string' ? Number(b.NextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw ebInvalid('NextToken is not valid.');
  const end = start + limit;
  return { items: items.slice(start, end), ...(end < items.length ? { next: String(end) } : {}) };
}

/** ListRules (NamePrefix, Limit 1-100, NextToken). */
export function listRules(s: AwsScopeState, b: Record<string, unknown>) {
  const bus = eventBus(s, b.EventBusName);
  const prefix = typeof b.NamePrefix === 'string' ? b.NamePrefix : '';
  const all = [...s.rules.values()]
    .filter((r) => r.EventBusName === bus.Name && r.Name.startsWith(prefix))
    .sort((x, y) => (x.Name < y.Name ? -1 : 1));
  const p = page(all, b);
  return { Rules: p.items.map(describe), ...(p.next ? { NextToken: p.next } : {}) };
}

/** EnableRule / DisableRule: the state in place. */
export function setRuleState(s: AwsScopeState, b: Record<string, unknown>, state: 'ENABLED' | 'DISABLED') {
  const r = findRule(s, b.Name, b.EventBusName);
  if (r.ManagedBy)
    throw new AwsError('ManagedRuleException', `Rule ${r.Name} is managed by ${r.ManagedBy}.`, 400);
  r.State = state;
  return {};
}

/** DeleteRule: refused while targets remain, and for a managed rule without Force. */
export function deleteRule(s: AwsScopeState, b: Record<string, unknown>) {
  const bus = eventBus(s, b.EventBusName);
  const r = s.rules.get(ruleKey(bus.Name, String(b.Name)));
  if (!r) return {}; // DeleteRule of an absent rule succeeds
  if (r.ManagedBy && b.Force !== true)
    throw new AwsError(
      'ManagedRuleException',
      `Rule ${r.Name} is managed by ${r.ManagedBy}; use Force.`,
      400,
    );
  if (r.Targets.length) throw ebInvalid("Rule can't be deleted since it has targets.");
  s.rules.delete(ruleKey(bus.Name, r.Name));
  return {};
}

/** Why one target entry breaks the API model (undefined when it is well formed). */
function targetProblem(t: Record<string, unknown>): string | undefined {
  if (typeof t.Id !== 'string' || !RULE_NAME.test(t.Id))
    return 'Id must be 1-64 characters of [\\.\\-_A-Za-z0-9]';
  if (typeof t.Arn !== 'string' || !t.Arn.startsWith('arn:') || t.Arn.length > 1600)
    return `Target ${t.Id}: Arn must be an ARN (1-1600 characters)`;
  const inputs = ['Input', 'InputPath', 'InputTransformer'].filter((k) => t[k] !== undefined);
  if (inputs.length > 1) return `Target ${t.Id}: only one of Input, InputPath, InputTransformer`;
  const r = t.RetryPolicy as
    { MaximumRetryAttempts?: unknown; MaximumEventAgeInSeconds?: unknown } | undefined;
  if (r?.MaximumRetryAttempts !== undefined) {
    const n = r.MaximumRetryAttempts;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 185)
      return `Target ${t.Id}: RetryPolicy.MaximumRetryAttempts must be 0-185`;
  }
  if (r?.MaximumEventAgeInSeconds !== undefined) {
    const n = r.MaximumEventAgeInSeconds;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 60 || n > 86400)
      return `Target ${t.Id}: RetryPolicy.MaximumEventAgeInSeconds must be 60-86400`;
  }
  const dl = (t.DeadLetterConfig as { Arn?: unknown } | undefined)?.Arn;
  if (t.DeadLetterConfig !== undefined && (typeof dl !== 'string' || !/^arn:aws[a-z-]*:sqs:/.test(dl)))
    return `Target ${t.Id}: DeadLetterConfig.Arn must be the ARN of an SQS queue`;
  const map =
    (t.InputTransformer as { InputPathsMap?: unknown; InputTemplate?: unknown } | undefined) ?? undefined;
  if (
    map &&
    (typeof map.InputTemplate !== 'string' || Object.keys((map.InputPathsMap as object) ?? {}).length > 100)
  )
    return `Target ${t.Id}: InputTransformer needs an InputTemplate and at most 100 InputPathsMap entries`;
  return undefined;
}

/**
 * PutTargets: each target is added or replaced by Id. A rule holds at most 5 targets
 * (LimitExceededException). Target ids listed in `failing` fail alone, answered in FailedEntries
 * with HTTP 200 (the emulator's fault for partial failures).
 */
export function putTargets(s: AwsScopeState, b: Record<string, unknown>, failing: ReadonlySet<string>) {
  const r = findRule(s, b.Rule, b.EventBusName);
  if (r.ManagedBy)
    throw new AwsError('ManagedRuleException', `Rule ${r.Name} is managed by ${r.ManagedBy}.`, 400);
  const targets = b.Targets;
  if (!Array.isArray(targets) || targets.length < 1 || targets.length > 10)
    throw ebInvalid('Targets must hold 1-10 entries.');
  for (const t of targets as Record<string, unknown>[]) {
    const p = targetProblem(t);
    if (p) throw ebInvalid(p);
  }
  const ids = new Set([
    ...r.Targets.map((t) => String(t.Id)),
    ...targets.map((t) => String((t as { Id: string }).Id)),
  ]);
  if (ids.size > MAX_TARGETS)
    throw new AwsError(
      'LimitExceededException',
      `The requested resource exceeds the maximum number allowed (${MAX_TARGETS} targets per rule).`,
      400,
    );
  const FailedEntries: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const t of targets as Record<string, unknown>[]) {
    if (failing.has(String(t.Id))) {
      FailedEntries.push({
        TargetId: String(t.Id),
        ErrorCode: 'InternalException',
        ErrorMessage: 'injected failure of this entry',
      });
      continue;
    }
    const i = r.Targets.findIndex((x) => x.Id === t.Id);
    if (i >= 0) r.Targets[i] = t;
    else r.Targets.push(t);
  }
  return { FailedEntryCount: FailedEntries.length, FailedEntries };
}

/** RemoveTargets: each id removed (an absent id is not an error). */
export function removeTargets(s: AwsScopeState, b: Record<string, unknown>, failing: ReadonlySet<string>) {
  const r = findRule(s, b.Rule, b.EventBusName);
  if (r.ManagedBy && b.Force !== true)
    throw new AwsError('ManagedRuleException', `Rule ${r.Name} is managed by ${r.ManagedBy}.`, 400);
  const ids = b.Ids;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100)
    throw ebInvalid('Ids must hold 1-100 entries.');
  const FailedEntries: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const id of ids as string[]) {
    if (failing.has(id)) {
      FailedEntries.push({
        TargetId: id,
        ErrorCode: 'InternalException',
        ErrorMessage: 'injected failure of this entry',
      });
      continue;
    }
    r.Targets = r.Targets.filter((t) => t.Id !== id);
  }
  return { FailedEntryCount: FailedEntries.length, FailedEntries };
}

/** ListTargetsByRule (Limit 1-100, NextToken). */
export function listTargetsByRule(s: AwsScopeState, b: Record<string, unknown>) {
  const r = findRule(s, b.Rule, b.EventBusName);
  const p = page(r.Targets, b);
  return { Targets: p.items, ...(p.next ? { NextToken: p.next } : {}) };
}

/** The event fields TestEventPattern requires (API Reference, TestEventPattern `Event`). */
const TEST_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

/** TestEventPattern: the emulator's evaluator on a pattern and an event. */
export function testEventPattern(b: Record<string, unknown>) {
  const pattern = parsePattern(checkedPattern(b.EventPattern)) as EventPattern;
  let event: unknown;
  try {
    event = JSON.parse(String(b.Event));
  } catch {
    throw ebInvalid('Event is not valid JSON.');
  }
  if (!event || typeof event !== 'object' || Array.isArray(event))
    throw ebInvalid('Event must be a JSON object.');
  const missing = TEST_EVENT_FIELDS.filter((f) => !(f in event));
  if (missing.length) throw ebInvalid(`Event is missing required field(s): ${missing.join(', ')}.`);
  return { Result: matchesEventPattern(pattern, event as Record<string, unknown>).matched };
}
