/**
 * Tencent publishing and tracing: neutral CloudEvents -> PutEvents `EventList`, per-event results,
 * and trace from the bus event log (SearchLog) with each rule's EventPattern evaluated for the
 * reason. It must never send a field the Event model has no place for: such events are refused.
 */
import { readDeliveryLog } from '../../core/runtime/delivery-log.js';
import { isPolybusError } from '../../core/model/errors.js';
import {
  batchEntries,
  memberRefusal,
  type MemberRefusal,
  notFoundTrace,
} from '../../core/runtime/publishing.js';
import {
  type CloudEvent,
  type PublishResult,
  refusedEvent,
  requestFailure,
} from '../../core/model/events.js';
import {
  type PublishOptions,
  type TraceMatch,
  type TraceOptions,
  type TraceReport,
} from '../../core/contract/publish.js';
import type { TencentClient, TencentEvent } from './client.js';
import { matchesEventPattern, type TencentEventPattern } from './routing.js';

const P = 'tencent';
/**
 * Events per PutEvents request. The API reference gives no EventList maximum; 10 is polybus's
 * choice (the EventBridge size), not a documented limit.
 */
export const TENCENT_PUBLISH_BATCH = 10;
/** Documented default frequency limit of PutEvents (requests/s), far above the management actions' 20/s. */
export const TENCENT_PUT_EVENTS_RATE = { ratePerSecond: 1000, burst: 50 };

const NOT_CARRIED_ID =
  'Tencent PutEvents has no event id field (official SDK Event: Source, Data, Type, Subject, Time): the service assigns its own id';

/** One neutral event -> the Event model, or the field it cannot carry. */
export function tencentEventFromCloudEvent(
  e: CloudEvent,
): { ok: true; native: TencentEvent } | MemberRefusal {
  const refusal = memberRefusal(e, {
    extensions: 'the Tencent Event model has no field for CloudEvents extensions',
    dataschema: 'the Tencent Event model has no dataschema field',
    nonJsonData: 'Tencent Data is a JSON string: datacontenttype is application/json;charset=utf-8 only',
  });
  if (refusal) return refusal;
  if (e.data === undefined)
    return { ok: false, field: 'data', message: 'Tencent requires Data (a JSON string) on every event' };
  const native: Record<string, unknown> = { Source: e.source, Type: e.type, Data: JSON.stringify(e.data) };
  if (e.subject !== undefined) native.Subject = e.subject;
  if (e.time !== undefined) native.Time = Date.parse(e.time);
  return { ok: true, native: native as unknown as TencentEvent };
}

/** The Tencent bus id for a name or id (ids look like `eb-xxxxxxxx`). */
async function busIdOf(client: TencentClient, bus: string, signal?: AbortSignal): Promise<string> {
  if (/^eb-/.test(bus)) return bus;
  for await (const b of client.eventBuses(100, signal)) if (b.EventBusName === bus) return b.EventBusId;
  return bus;
}

/**
 * The trace member of the Tencent provider: the event found in the bus event log (SearchLog), with
 * each rule's EventPattern evaluated for the reason.
 */
async function traceTencent(
  client: TencentClient,
  endpoint: string,
  eventId: string,
  options: TraceOptions,
): Promise<TraceReport> {
  const signal = options.signal;
  const EventBusId = await busIdOf(client, options.bus, signal);
  const now = Date.now();
  const e = options.event;
  // With the event in hand, find it by what Tencent keeps (source, type); else by the id in the message.
  const Filter = e
    ? [{ Key: 'Source', Operator: 'eq' as const, Value: e.source, Type: 'AND' as const }].concat([
        { Key: 'Type', Operator: 'eq' as const, Value: e.type, Type: 'AND' as const },
      ])
    : [{ Key: 'Message', Operator: 'like' as const, Value: `%${eventId}%`, Type: 'AND' as const }];
  const res = await client.searchLog(
    {
      EventBusId,
      StartTime: now - (options.sinceMs ?? 3600_000),
      EndTime: now + 60_000,
      Page: 1,
      Limit: 100,
      Filter,
      OrderBy: 'desc',
    },
    signal,
  );
  const wantTime = e?.time !== undefined ? String(Date.parse(e.time)) : undefined;
  const entry = (res.Results ?? []).find((r) => {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(r.Message ?? '') as Record<string, unknown>;
    } catch {
      return false;
    }
    if (!e) return m.id === eventId;
    return (
      m.source === e.source &&
      m.type === e.type &&
      (wantTime === undefined || String(m.time) === wantTime) &&
      JSON.stringify(m.data) === JSON.stringify(e.data)
    );
  });
  const notes = [
    'Tencent: read from the bus event log (SearchLog; the bus needs its log store enabled).',
    'Tencent assigns its own event ids: the id you published is not in the log; trace finds the event by source, type, time and data when it has the event, by the logged id otherwise.',
    'The event log records which rules matched, not each target delivery: Tencent offers no per-target delivery record, and has no http target type (scf, cls, amp, ckafka, es), so nothing is delivered to an http URL.',
  ];
  if (!entry) {
    // Only an event searched by its content, or an id of the form Tencent assigns, may still
    // appear: the id a user published is never in the log, and waiting will not change that.
    const tencentId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId);
    if (!e && !tencentId)
      return notFoundTrace(P, eventId, [
        ...notes,
        `${eventId} is not an id Tencent assigns, and Tencent keeps no trace of the id you published (a PutEvents entry has no id field): trace it with the event as published (trace --event file.json: its source, type, time and data), or by the id Tencent logged (publish --trace prints it).`,
      ]);
    return notFoundTrace(
      P,
      eventId,
      [...notes, 'not in the event log yet: the log is written after PutEvents returns; try again shortly'],
      { mayAppear: true },
    );
  }
  const logged = JSON.parse(entry.Message ?? '{}') as Record<string, unknown>;
  // On an emulator, its delivery log has the exact record of the logged event.
  const exact = await readDeliveryLog(endpoint, String(logged.id));
  if (exact?.found) return { ...exact, notes: [...notes.slice(0, 2), ...exact.notes] };
  const ruleIds = new Set(
    String(entry.RuleIds ?? '')
      .split(',')
      .filter(Boolean),
  );
  const matches: TraceMatch[] = [];
  const deliveries: TraceReport['deliveries'] = [];
  for await (const listed of client.rules(EventBusId, 100, signal)) {
    // ListRules leaves EventPattern out: GetRule has it.
    const rule = await client.getRule({ EventBusId, RuleId: listed.RuleId }, signal);
    let reason: string;
    try {
      if (!rule.EventPattern) throw new Error('no pattern');
      reason = matchesEventPattern(JSON.parse(rule.EventPattern) as TencentEventPattern, logged).reason;
    } catch {
      reason = 'the rule EventPattern is not readable JSON';
    }
    const matched = ruleIds.has(rule.RuleId);
    matches.push({ integration: rule.RuleId, name: rule.RuleName, matched, reason });
    if (!matched) continue;
    for await (const t of client.targets(EventBusId, rule.RuleId, 100, signal))
      deliveries.push({
        integration: rule.RuleId,
        target: t.TargetId,
        destination: `${t.Type}:${t.TargetDescription?.ResourceDescription ?? ''}`,
        attempts: 0,
        status: 'pending',
        note: 'routed to this target; Tencent keeps no per-target delivery record (and has no http target type)',
      });
  }
  return {
    provider: P,
    eventId: String(logged.id ?? eventId),
    found: true,
    exact: true,
    matches,
    deliveries,
    notes: [...notes, `log status: ${entry.Status ?? 'unknown'}`],
  };
}

/** The publish and trace members of the Tencent provider. */
export function tencentPublisher(client: TencentClient, endpoint: string) {
  return {
    async publish(bus: string, events: CloudEvent[], options: PublishOptions = {}): Promise<PublishResult[]> {
      const results: PublishResult[] = new Array<PublishResult>(events.length);
      const ready: { index: number; native: TencentEvent }[] = [];
      events.forEach((e, index) => {
        const m = tencentEventFromCloudEvent(e);
        if (m.ok) ready.push({ index, native: m.native });
        else results[index] = refusedEvent(index, e.id, m.field, m.message);
      });
      const EventBusId = await busIdOf(client, bus, options.signal);
      for (const batch of batchEntries(ready, { maxEntries: TENCENT_PUBLISH_BATCH })) {
        try {
          await client.putEvents({ EventBusId, EventList: batch.map((b) => b.native) }, options.signal);
          for (const b of batch)
            results[b.index] = { index: b.index, ok: true, id: events[b.index]!.id, notes: [NOT_CARRIED_ID] };
        } catch (err) {
          if (!isPolybusError(err)) throw err;
          // PutEvents answers for the whole request: every event of the batch shares its error.
          for (const b of batch)
            results[b.index] = {
              index: b.index,
              ok: false,
              id: events[b.index]!.id,
              error: requestFailure(err),
            };
        }
      }
      return results;
    },

    trace(eventId: string, options: TraceOptions): Promise<TraceReport> {
      return traceTencent(client, endpoint, eventId, options);
    },
  };
}
