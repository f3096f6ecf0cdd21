/**
 * Rules in the Tencent emulator: CreateRule, GetRule, ListRules, UpdateRule, DeleteRule and
 * CheckRule, with the EventPattern checks of the Event Pattern page (routing.ts).
 */
import { randomId } from '../../../testing/loopback.js';
import { matchesEventPattern, type TencentEventPattern, validateEventPattern } from '../routing.js';
import { busOf } from './buses.js';
import {
  type Actions,
  checkDescription,
  checkName,
  type EmulatorContext,
  isoNow,
  page,
  type Params,
  required,
  type Row,
  TcError,
} from './common.js';
import { untagDeleted } from './tags.js';
import { targetBriefs } from './briefs.js';

/** The rule named by RuleId on the bus named by EventBusId (ResourceNotFound.Rule). */
export function ruleOf(emu: EmulatorContext, p: Params): Row {
  busOf(emu, p);
  required(p, 'RuleId');
  const rule = emu.rules.get(String(p.RuleId));
  if (!rule || rule.EventBusId !== p.EventBusId)
    throw new TcError('ResourceNotFound.Rule', 'The specified `Rule` was not found.');
  return rule;
}

/** An EventPattern per the Event Pattern page (routing.ts validates it); throws `code` when not. */
function checkPattern(value: unknown, code = 'InvalidParameterValue.EventPattern'): TencentEventPattern {
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

/** The rule actions. */
export const ruleActions = (emu: EmulatorContext): Actions => ({
  CreateRule: (p) => {
    busOf(emu, p);
    required(p, 'RuleName', 'EventPattern');
    checkName(p.RuleName, 'InvalidParameterValue.RuleName', 'RuleName');
    checkDescription(p.Description);
    checkPattern(p.EventPattern);
    const id = `rule-${randomId()}`;
    const t = isoNow(emu.now());
    emu.rules.set(id, {
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
  GetRule: (p) => ({ ...ruleOf(emu, p) }),
  ListRules: (p) => {
    busOf(emu, p);
    const rows = [...emu.rules.values()].filter((r) => r.EventBusId === p.EventBusId);
    const { TotalCount, items } = page(p, rows);
    // The documented Rule type of ListRules has no EventPattern; its Targets are TargetBriefs.
    return {
      TotalCount,
      Rules: items.map(({ EventPattern, ...r }) => ({
        ...r,
        Targets: targetBriefs(emu, (t) => t.RuleId === r.RuleId),
        DeadLetterConfig: null,
      })),
    };
  },
  UpdateRule: (p) => {
    const rule = ruleOf(emu, p);
    if (p.RuleName !== undefined) checkName(p.RuleName, 'InvalidParameterValue.RuleName', 'RuleName');
    if (p.EventPattern !== undefined) checkPattern(p.EventPattern);
    checkDescription(p.Description);
    for (const k of ['Enable', 'Description', 'EventPattern', 'RuleName'])
      if (p[k] !== undefined) rule[k] = p[k];
    rule.ModTime = isoNow(emu.now());
    return {};
  },
  DeleteRule: (p) => {
    const rule = ruleOf(emu, p);
    if ([...emu.targets.values()].some((t) => t.RuleId === rule.RuleId)) {
      throw new TcError(
        'ResourceInUse.Rule',
        'There are targets under the rule, so it cannot be deleted. Please delete all targets and try again.',
      );
    }
    emu.rules.delete(String(rule.RuleId));
    untagDeleted(emu, 'ruleid', `${String(rule.EventBusId)}/${String(rule.RuleId)}`);
    return {};
  },
  // CheckRule (SDK CheckRuleRequest: Event, EventPattern): a match answers only a RequestId; a
  // mismatch is FailedOperation.ErrorFilter, as the error table says.
  CheckRule: (p) => {
    required(p, 'Event', 'EventPattern');
    const pattern = checkPattern(p.EventPattern, 'InvalidParameterValue.InvalidPattern');
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
});
