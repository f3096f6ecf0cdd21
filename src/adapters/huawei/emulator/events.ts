/**
 * Publishing and delivery (issue 17): channel PutEvents, subscription matching by the source
 * filter rule, and HTTPS target deliveries recorded in the emulator's delivery log.
 */
import type { LoopbackRequest } from '../../../testing/loopback.js';
import { type HuaweiFilterRule, matchesHuaweiFilterRule } from '../routing.js';
import {
  bad,
  EgError,
  getRow,
  type Handlers,
  type HuaweiEmulatorScope,
  type Row,
  requestBody,
} from './common.js';

/** PutEvents over the current project's channels and subscriptions, delivering through `emu.delivery`. */
export function eventHandlers(emu: HuaweiEmulatorScope): Pick<Handlers, 'PutEvents'> {
  /**
   * PutEvents: at most 20 events (EG.00533007), each with id, source, specversion and type; each
   * is matched against the channel's enabled subscriptions (their source filter rule) and sent to
   * every HTTPS target of a matching one (`detail.url`, `retry_times` retries, then the dead
   * letter queue). FunctionGraph and Kafka targets are recorded, not run.
   */
  function receiveEvents(channelId: string | undefined, req: LoopbackRequest) {
    const channel = getRow(emu.channels, channelId, 'channel');
    const b = requestBody(req);
    const events = b.events;
    if (!Array.isArray(events) || events.length === 0)
      throw bad('Bad request: events is a non-empty array of CloudEvents');
    if (events.length > 20)
      throw new EgError(400, 'EG.00533007', 'Bad request: at most 20 events can be put at a time');
    events.forEach((e: unknown, i) => {
      const ev = e as Row;
      for (const f of ['id', 'source', 'specversion', 'type'])
        if (typeof ev?.[f] !== 'string' || ev[f] === '')
          throw bad(`Bad request: events[${i}].${f} is required (CloudEvents 1.0)`);
    });
    const subs = [...emu.subscriptions.values()].filter((s) => s.channel_id === channel.id);
    for (const e of events as Row[]) route(String(channel.id), e, subs);
    return {
      status: 200,
      body: { failed_count: 0, events: (events as Row[]).map((e) => ({ event_id: e.id })) },
    };
  }

  function route(channelId: string, event: Row, subs: Row[]): void {
    const rec = emu.delivery.record({
      bus: channelId,
      eventId: String(event.id),
      event,
      matches: [],
      deliveries: [],
      notes: ['Huawei emulator: exact record of subscription matching and webhook deliveries.'],
    });
    for (const s of subs) {
      if (s.status === 'DISABLED') {
        rec.matches.push({
          integration: String(s.id),
          name: String(s.name),
          matched: false,
          reason: 'the subscription is disabled',
        });
        continue;
      }
      const source = (s.sources as Row[])[0]!;
      const m = matchesHuaweiFilterRule(source.filter as unknown as HuaweiFilterRule, event);
      rec.matches.push({
        integration: String(s.id),
        name: String(s.name),
        matched: m.matched,
        reason: m.reason,
      });
      if (!m.matched) continue;
      for (const t of s.targets as Row[]) {
        const d = {
          integration: String(s.id),
          target: String(t.id ?? t.name),
          attempts: 0,
          status: 'not-delivered' as const,
          attemptLog: [],
        } as import('../../../core/runtime/delivery-log.js').DeliveryRecord['deliveries'][number];
        rec.deliveries.push(d);
        const url = (t.detail as Row | undefined)?.url;
        if (t.name !== 'HTTPS' || typeof url !== 'string') {
          d.note = `the emulator does not run ${String(t.name)} targets: matched, not delivered`;
          continue;
        }
        d.destination = url;
        const transform = (t.transform as Row | undefined)?.type;
        if (transform && transform !== 'ORIGINAL')
          rec.notes.push(
            `target ${d.target}: transform ${String(transform)} is not applied by the emulator (the original event is sent)`,
          );
        const dlq = t.dead_letter_queue as Row | undefined;
        emu.delivery.deliverHttp(
          rec,
          d,
          url,
          { retries: Number(t.retry_times ?? 0), delayMs: emu.delivery.retryDelayMs },
          dlq ? `kafka topic ${String(dlq.topic)}` : undefined,
        );
      }
    }
  }

  return {
    PutEvents: (channelId, req) => receiveEvents(channelId, req),
  };
}
