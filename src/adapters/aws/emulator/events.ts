/**
 * EventBridge PutEvents (issue 17): entries accepted and logged with the event integrations each
 * would reach; nothing is delivered (an event integration hands events to Amazon Connect only).
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryEngine } from '../../../testing/delivery.js';
import { AwsError } from './errors.js';
import { ACCOUNT, type AwsScopeState } from './state.js';
import { routeToRules } from './routes.js';

/**
 * PutEvents: 1-10 entries, each with Source, DetailType and a JSON-object Detail; each gets an
 * EventId and is logged with the event integrations on its bus whose EventFilter.Source equals
 * its Source. An integration only hands events to Amazon Connect, so nothing is delivered.
 */
export function receiveEvents(s: AwsScopeState, delivery: DeliveryEngine, b: Record<string, unknown>) {
  const entries = b.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10)
    throw new AwsError('ValidationException', 'Entries: 1-10 entries.', 400);
  const results = (entries as Record<string, unknown>[]).map((e) => {
    for (const f of ['Source', 'DetailType', 'Detail'])
      if (typeof e[f] !== 'string' || e[f] === '')
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${f} is not valid.` };
    let detail: unknown;
    try {
      detail = JSON.parse(String(e.Detail));
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const busRef = typeof e.EventBusName === 'string' && e.EventBusName ? e.EventBusName : 'default';
    const bus = [...s.buses.values()].find((x) => x.Name === busRef || x.Arn === busRef);
    if (!bus)
      return {
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: `Event bus ${busRef} does not exist.`,
      };
    const EventId = randomUUID();
    const event = {
      version: '0',
      id: EventId,
      'detail-type': e.DetailType,
      source: e.Source,
      account: ACCOUNT,
      time: typeof e.Time === 'number' ? new Date(e.Time * 1000).toISOString() : new Date().toISOString(),
      region: s.region,
      resources: Array.isArray(e.Resources) ? e.Resources : [],
      detail,
    };
    const rec = delivery.record({
      bus: bus.Name,
      eventId: EventId,
      event,
      matches: [],
      deliveries: [],
      notes: [
        'AWS emulator: every enabled rule on the bus evaluated with the EventBridge pattern rules; API destination targets are delivered over loopback with the target RetryPolicy, other targets are recorded with what they would get; an event integration hands matching events to Amazon Connect only.',
      ],
    });
    routeToRules(s, delivery, rec, bus.Name);
    for (const i of s.integrations.values()) {
      if (i.EventBridgeBus !== bus.Name && i.EventBridgeBus !== bus.Arn) continue;
      // EventFilter.Source is compared exactly (AppIntegrations API reference, EventFilter).
      const matched = String(e.Source) === i.EventFilter.Source;
      rec.matches.push({
        integration: i.EventIntegrationArn,
        name: i.Name,
        matched,
        reason: `EventFilter.Source ${JSON.stringify(i.EventFilter.Source)} ${matched ? 'equals' : 'does not equal'} source ${JSON.stringify(e.Source)}`,
      });
      if (matched)
        rec.deliveries.push({
          integration: i.EventIntegrationArn,
          target: 'Amazon Connect',
          destination: `Amazon Connect instances associated with ${i.Name}`,
          attempts: 0,
          status: 'not-delivered',
          note: 'would be handed to Amazon Connect; the emulator has no Connect instance',
          attemptLog: [],
        });
    }
    return { EventId };
  });
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
}
