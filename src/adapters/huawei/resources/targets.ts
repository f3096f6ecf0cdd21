/**
 * A subscription's parts from the neutral input: its source (the filter rule) and its targets,
 * keeping the ids of the live ones so that an update does not replace them.
 */
import { randomUUID } from 'node:crypto';
import { unsupported } from '../../../core/model/errors.js';
import { nativeFilterIn, routingProblems } from '../../../core/model/routing.js';
import type { HuaweiSubscription, HuaweiSubscriptionTarget } from '../client.js';
import { huaweiNativeFilter, HuaweiTargetInput, subscriptionSourceFor } from '../mapping.js';
import { type HuaweiFilterRule, type HuaweiTarget, huaweiRouting } from '../routing.js';
import { P } from './context.js';

/**
 * Native targets with ids: an explicit id, else the id of the live target at the same place
 * with the same name (stable across updates), else a new one.
 */
export const targetsFrom = (
  raw: unknown[],
  live: HuaweiSubscriptionTarget[] = [],
): HuaweiSubscriptionTarget[] =>
  raw.map((t, i) => {
    const parsed = HuaweiTargetInput.parse(t);
    const same = live[i]?.name === parsed.name ? live[i]?.id : undefined;
    return {
      ...parsed,
      id: typeof parsed.id === 'string' ? parsed.id : (same ?? randomUUID()),
    } as HuaweiSubscriptionTarget;
  });
/**
 * The source filter rule and the targets from the neutral filter, targets and delivery (plus the
 * native `extensions.huawei.targets`); what the subscription cannot say exactly is refused here,
 * before any request.
 */
export const route = (
  input: { filter?: unknown; targets?: unknown; delivery?: unknown; extensions?: unknown },
  operation: string,
): { rule?: HuaweiFilterRule; targets?: unknown[] } => {
  const problems = routingProblems(huaweiRouting, input);
  if (problems.length)
    throw unsupported(P, operation, problems.map((p) => `${p.field}: ${p.rule}`).join('; '));
  const f = input.filter === undefined ? undefined : huaweiRouting.translateFilter(input.filter as never);
  // The native filter escape hatch (validated with the input): the rule as it is written.
  const nativeRule = nativeFilterIn(input, P, huaweiNativeFilter.field) as HuaweiFilterRule | undefined;
  const t =
    input.targets === undefined && input.delivery === undefined
      ? undefined
      : huaweiRouting.translateTargets((input.targets ?? []) as never, input.delivery as never);
  const native = (input.extensions as { huawei?: { targets?: unknown[] } } | undefined)?.huawei?.targets;
  const targets: HuaweiTarget[] | unknown[] | undefined =
    t?.ok || native ? [...(t?.ok ? t.native : []), ...(native ?? [])] : undefined;
  const rule = f?.ok ? f.native : nativeRule;
  return { ...(rule ? { rule } : {}), ...(targets ? { targets } : {}) };
};
/** The source of a rule, keeping the live source's id (subscription source ids stay stable). */
export const sourceOf = (rule: HuaweiFilterRule, live?: HuaweiSubscription) => ({
  id: live?.sources?.[0]?.id ?? randomUUID(),
  ...subscriptionSourceFor(rule),
});
