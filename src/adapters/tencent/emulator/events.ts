/**
 * Events received by the Tencent emulator: PutEvents and PublishEvent, each event matched against
 * the bus's rules, appended to the bus's event log and recorded in the delivery log.
 */
import { matchesEventPattern, type TencentEventPattern } from '../routing.js';
import { busOf } from './buses.js';
import {
  type Actions,
  type EmulatorContext,
  isoNow,
  type Params,
  required,
  type Row,
  TcError,
} from './common.js';
import type { LogEntry } from './logs.js';

/** Whether a stored rule EventPattern matches an event; an unreadable pattern matches nothing. */
function safeMatch(pattern: unknown, event: unknown): boolean {
  try {
    return matchesEventPattern(
      JSON.parse(String(pattern)) as TencentEventPattern,
      event as Record<string, unknown>,
    ).matched;
  } catch {
    return false;
  }
}

/** PutEvents / PublishEvent: validates the EventList and appends each event to the bus's log. */
function receiveEvents(emu: EmulatorContext, p: Params, region: string): Row {
  const bus = busOf(emu, p);
  required(p, 'EventList');
  const list = p.EventList as Params[];
  if (!Array.isArray(list) || list.length === 0)
    throw new TcError(
      'InvalidParameterValue',
      'The `EventList` value does not conform to the specification.',
    );
  const now = emu.now();
  const entries = list.map((event, i): LogEntry => {
    for (const field of ['Source', 'Data']) {
      if (typeof event?.[field] !== 'string' || event[field] === '')
        throw new TcError('MissingParameter', `The parameter \`EventList.${i}.${field}\` is missing.`);
    }
    let data: unknown;
    try {
      data = JSON.parse(String(event.Data));
    } catch {
      throw new TcError(
        'InvalidParameterValue',
        `The \`EventList.${i}.Data\` value does not conform to the specification: a JSON string (application/json;charset=utf-8).`,
      );
    }
    if (event.Time !== undefined && !Number.isInteger(event.Time))
      throw new TcError(
        'InvalidParameterValue',
        `The \`EventList.${i}.Time\` value is a millisecond timestamp.`,
      );
    const cloudEvent = {
      specversion: '1.0',
      id: crypto.randomUUID(),
      type: String(event.Type ?? ''),
      source: String(event.Source),
      subject: String(event.Subject ?? ''),
      time: String(event.Time ?? now),
      region,
      datacontenttype: 'application/json;charset=utf-8',
      data,
    };
    const ruleIds = [...emu.rules.values()]
      .filter(
        (r) => r.EventBusId === bus.EventBusId && r.Enable !== false && safeMatch(r.EventPattern, cloudEvent),
      )
      .map((r) => String(r.RuleId));
    recordDelivery(emu, String(bus.EventBusId), cloudEvent, ruleIds);
    return {
      time: now,
      Timestamp: isoNow(now),
      Message: JSON.stringify(cloudEvent),
      Source: cloudEvent.source,
      Type: cloudEvent.type,
      RuleIds: ruleIds.join(','),
      Subject: cloudEvent.subject,
      Region: region,
      // A received event no rule matches is dropped; one that matches is routed to its rules.
      Status: ruleIds.length > 0 ? 'Matched' : 'Unmatched',
    };
  });
  const log = emu.eventLog.get(String(bus.EventBusId)) ?? [];
  log.push(...entries);
  emu.eventLog.set(String(bus.EventBusId), log);
  return {};
}

/** Records one received event: each rule on the bus with the condition that decided it. */
function recordDelivery(
  emu: EmulatorContext,
  busId: string,
  event: Record<string, unknown>,
  matched: string[],
): void {
  const rec = emu.delivery.record({
    bus: busId,
    eventId: String(event.id),
    event,
    matches: [],
    deliveries: [],
    notes: [
      'Tencent emulator: every rule EventPattern evaluated as the Event Pattern page describes; Tencent has no http target type (scf, cls, amp, ckafka, es) and the emulator runs none of them, so nothing is delivered.',
    ],
  });
  for (const r of emu.rules.values()) {
    if (r.EventBusId !== busId) continue;
    let reason: string;
    try {
      reason = matchesEventPattern(JSON.parse(String(r.EventPattern)) as TencentEventPattern, event).reason;
    } catch {
      reason = 'the rule EventPattern is not readable JSON';
    }
    const hit = matched.includes(String(r.RuleId));
    rec.matches.push({
      integration: String(r.RuleId),
      name: String(r.RuleName),
      matched: hit,
      reason: r.Enable === false ? 'the rule is disabled' : reason,
    });
    if (!hit) continue;
    for (const t of emu.targets.values())
      if (t.RuleId === r.RuleId)
        rec.deliveries.push({
          integration: String(r.RuleId),
          target: String(t.TargetId),
          destination: `${String(t.Type)}:${String((t.TargetDescription as Row | undefined)?.ResourceDescription ?? '')}`,
          attempts: 0,
          status: 'not-delivered',
          note: `the emulator does not run ${String(t.Type)} targets`,
          attemptLog: [],
        });
  }
}

/** The actions that receive events. */
export const eventActions = (emu: EmulatorContext): Actions => ({
  PutEvents: (p, ctx) => receiveEvents(emu, p, ctx.region),
  // Deprecated in the official SDK, same request shape as PutEvents.
  PublishEvent: (p, ctx) => receiveEvents(emu, p, ctx.region),
});
