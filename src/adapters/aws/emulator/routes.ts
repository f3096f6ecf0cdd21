/**
 * PutEvents through the bus's rules: each rule's pattern evaluated on the event (disabled rules
 * match nothing), each target of a matching rule given what its input settings say (the event,
 * `InputPath`'s value, the constant `Input`, or an `InputTransformer`'s template), API
 * destinations delivered over loopback with the target's RetryPolicy and dead-letter queue, and
 * every other target recorded with what it would get (the emulator runs no Lambda or log group).
 */
import type { DeliveryEngine } from '../../../testing/delivery.js';
import type { DeliveryRecord } from '../../../core/runtime/delivery-log.js';
import { matchesEventPattern, parsePattern, type EventPattern } from '../pattern.js';
import { apiDestinationByArn } from './destinations.js';
import type { AwsScopeState } from './state.js';

/** The value at a JSONPath `$.a.b` of the event (InputPath), undefined when absent. */
function atPath(event: unknown, path: string): unknown {
  let cur = event;
  for (const seg of path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    if (!cur || typeof cur !== 'object' || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** What a target gets for one event, as text. */
function inputOf(t: Record<string, unknown>, event: Record<string, unknown>): string {
  if (typeof t.Input === 'string') return t.Input;
  if (typeof t.InputPath === 'string') return JSON.stringify(atPath(event, t.InputPath) ?? null);
  const x = t.InputTransformer as
    { InputPathsMap?: Record<string, string>; InputTemplate: string } | undefined;
  if (x) {
    const vars = Object.fromEntries(
      Object.entries(x.InputPathsMap ?? {}).map(([k, p]) => [k, atPath(event, p)]),
    );
    return x.InputTemplate.replace(/<([^<>]+)>/g, (m, k: string) =>
      k in vars ? (typeof vars[k] === 'string' ? (vars[k] as string) : JSON.stringify(vars[k] ?? null)) : m,
    );
  }
  return JSON.stringify(event);
}

/** Routes one logged event through the enabled rules of `bus`. */
export function routeToRules(
  s: AwsScopeState,
  delivery: DeliveryEngine,
  rec: DeliveryRecord,
  bus: string,
): void {
  for (const r of s.rules.values()) {
    if (r.EventBusName !== bus || r.EventPattern === undefined) continue;
    const id = `${bus}:${r.Name}`; // the neutral id of a rule integration
    const result = matchesEventPattern(parsePattern(r.EventPattern) as EventPattern, rec.event);
    const enabled = r.State !== 'DISABLED';
    rec.matches.push({
      integration: id,
      name: r.Name,
      matched: enabled && result.matched,
      reason: enabled ? result.reason : `the rule is DISABLED (${result.reason})`,
    });
    if (!enabled || !result.matched) continue;
    for (const t of r.Targets) {
      const arn = String(t.Arn);
      const input = inputOf(t, rec.event);
      const d: DeliveryRecord['deliveries'][number] = {
        integration: id,
        target: String(t.Id),
        destination: arn,
        attempts: 0,
        status: 'not-delivered',
        note: `would get ${input.length > 300 ? `${input.slice(0, 300)}...` : input}`,
        attemptLog: [],
      };
      rec.deliveries.push(d);
      const dest = apiDestinationByArn(s, arn);
      if (!dest) {
        d.note = `the emulator runs no ${arn.split(':')[2] ?? 'such'} target; ${d.note}`;
        continue;
      }
      d.destination = `${dest.HttpMethod} ${dest.InvocationEndpoint}`;
      const policy = t.RetryPolicy as { MaximumRetryAttempts?: number } | undefined;
      const dlq = (t.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
      delivery.deliverHttp(
        rec,
        d,
        dest.InvocationEndpoint,
        { retries: policy?.MaximumRetryAttempts ?? 185, delayMs: delivery.retryDelayMs },
        dlq,
      );
    }
  }
}
