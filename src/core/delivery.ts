/**
 * The emulators' delivery engine: a delivery log per emulator, http delivery on loopback with a
 * retry policy and dead letter, the CloudEvents HTTP binding (structured and binary content
 * modes), and the emulator-only read of the log (`GET /_polybus/deliveries`). It must never send
 * to anything but a loopback address: emulators stay on 127.0.0.1, outbound too.
 */
import type { ServerResponse } from 'node:http';
import type { TraceDelivery, TraceMatch, TraceReport } from './publish.js';

/** The emulator-only path that serves the delivery log (loopback emulators only, never a cloud). */
export const DELIVERY_LOG_PATH = '/_polybus/deliveries';

/** One event as an emulator received it, with what it matched and where it went. */
export interface DeliveryRecord {
  provider: string;
  bus: string;
  eventId: string;
  /** The event in CloudEvents JSON form, as the emulator holds it. */
  event: Record<string, unknown>;
  receivedAt: number;
  matches: TraceMatch[];
  deliveries: (TraceDelivery & { attemptLog: { at: number; status?: number; error?: string }[] })[];
  notes: string[];
}

/** CloudEvents HTTP binding content modes (spec: http-protocol-binding.md 3.1, 3.2). */
export type ContentMode = 'structured' | 'binary';

/** Retry policy of one http delivery: `retries` after the first attempt, `delayMs` between them. */
export interface HttpRetry {
  retries: number;
  delayMs: number;
}

/**
 * Percent-encodes a binary-mode header value as the HTTP binding says (3.1.3.2): space, `"`,
 * `%` and anything outside printable ASCII, as UTF-8 bytes.
 */
export function encodeHeaderValue(v: string): string {
  let out = '';
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (c > 0x20 && c < 0x7f && ch !== '"' && ch !== '%') out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The request a CloudEvent becomes in an HTTP binding content mode. */
export function cloudEventHttpRequest(
  event: Record<string, unknown>,
  mode: ContentMode,
): { headers: Record<string, string>; body: string } {
  if (mode === 'structured')
    return {
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      body: JSON.stringify(event),
    };
  // Binary mode: attributes as ce- headers, the data as the body in its datacontenttype.
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event)) {
    if (k === 'data' || k === 'data_base64' || k === 'datacontenttype' || v === undefined) continue;
    headers[`ce-${k}`] = encodeHeaderValue(typeof v === 'string' ? v : JSON.stringify(v));
  }
  const ct = typeof event.datacontenttype === 'string' ? event.datacontenttype : 'application/json';
  headers['content-type'] = ct;
  const body =
    typeof event.data_base64 === 'string'
      ? Buffer.from(event.data_base64, 'base64').toString('latin1')
      : typeof event.data === 'string' && !/json/i.test(ct)
        ? event.data
        : JSON.stringify(event.data ?? null);
  return { headers, body };
}

/** Reads a CloudEvent back from a binding request (either mode), for receivers and tests. */
export function cloudEventFromHttp(headers: Record<string, string | string[] | undefined>, body: string) {
  const h = (k: string) => {
    const v = headers[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const ct = h('content-type') ?? '';
  if (ct.startsWith('application/cloudevents+json'))
    return { mode: 'structured' as const, event: JSON.parse(body) as Record<string, unknown> };
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers))
    if (k.startsWith('ce-') && v !== undefined) event[k.slice(3)] = decodeURIComponent(String(v));
  event.datacontenttype = ct;
  event.data = /json/i.test(ct) ? (JSON.parse(body || 'null') as unknown) : body;
  return { mode: 'binary' as const, event };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The log and the http sender an emulator delivers with. */
export class DeliveryEngine {
  readonly records: DeliveryRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    readonly provider: string,
    /** Delay between attempts: an emulator compresses the provider's schedule to this. */
    readonly retryDelayMs = 50,
    readonly mode: ContentMode = 'structured',
  ) {}

  /** Records one received event (matches and planned deliveries filled in by the emulator). */
  record(r: Omit<DeliveryRecord, 'receivedAt' | 'provider'>): DeliveryRecord {
    const rec: DeliveryRecord = { provider: this.provider, receivedAt: Date.now(), ...r };
    this.records.push(rec);
    return rec;
  }

  /**
   * Delivers `event` to `url` (loopback only) in the background: a 2xx ends it, anything else
   * retries up to `retries` times, then the delivery is dead-lettered (when `deadLetter` names
   * where) or failed. The record's delivery entry is updated as attempts happen.
   */
  deliverHttp(
    rec: DeliveryRecord,
    d: DeliveryRecord['deliveries'][number],
    url: string,
    retry: HttpRetry,
    deadLetter?: string,
  ): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      d.status = 'not-delivered';
      d.note = `not a URL: ${url}`;
      return;
    }
    if (!LOOPBACK_HOSTS.has(parsed.hostname)) {
      d.status = 'not-delivered';
      d.note = `the emulator delivers only to loopback addresses; ${parsed.hostname} is not one`;
      return;
    }
    d.status = 'pending';
    const { headers, body } = cloudEventHttpRequest(rec.event, this.mode);
    const run = async () => {
      for (let n = 0; n <= retry.retries; n++) {
        if (n > 0) await new Promise((r) => setTimeout(r, retry.delayMs));
        d.attempts = n + 1;
        try {
          const res = await fetch(url, { method: 'POST', headers, body });
          await res.arrayBuffer();
          d.attemptLog.push({ at: Date.now(), status: res.status });
          if (res.status >= 200 && res.status < 300) {
            d.status = 'delivered';
            delete d.note;
            return;
          }
          d.note = `attempt ${n + 1}: HTTP ${res.status}`;
        } catch (err) {
          d.attemptLog.push({ at: Date.now(), error: (err as Error).message });
          d.note = `attempt ${n + 1}: ${(err as Error).message}`;
        }
      }
      d.status = deadLetter ? 'dead-lettered' : 'failed';
      d.note = `${d.note ?? ''}; retries spent (${retry.retries})${deadLetter ? `; sent to dead letter ${deadLetter}` : ''}`;
    };
    const p = run().finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits until every delivery in flight has ended (for tests and `close`). */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /**
   * The trace report of one event id (the last record with that id, on `bus` when given: one id
   * may be published to several buses), or a not-found report.
   */
  report(eventId: string, bus?: string): TraceReport {
    const rec = [...this.records]
      .reverse()
      .find((r) => r.eventId === eventId && (bus === undefined || r.bus === bus));
    if (!rec)
      return {
        provider: this.provider,
        eventId,
        found: false,
        exact: true,
        matches: [],
        deliveries: [],
        notes: [`the emulator received no event with this id${bus === undefined ? '' : ` on bus ${bus}`}`],
      };
    return {
      provider: this.provider,
      eventId,
      found: true,
      exact: true,
      matches: rec.matches,
      deliveries: rec.deliveries.map(({ attemptLog: _log, ...d }) => d),
      notes: rec.notes,
    };
  }

  /** Serves `GET /_polybus/deliveries?event=<id>[&bus=<bus>]`; false when the path is not the log's. */
  serve(url: URL, res: ServerResponse): boolean {
    if (url.pathname !== DELIVERY_LOG_PATH) return false;
    const id = url.searchParams.get('event');
    const bus = url.searchParams.get('bus') ?? undefined;
    const body = JSON.stringify(id ? this.report(id, bus) : { records: this.records.length });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return true;
  }
}

/**
 * Reads an emulator's delivery log for one event (on `bus`, as the emulator records it, when
 * given); undefined when `endpoint` is not loopback (a real cloud has no such read) or the
 * emulator does not answer it.
 */
export async function readDeliveryLog(
  endpoint: string,
  eventId: string,
  bus?: string,
): Promise<TraceReport | undefined> {
  const url = new URL(DELIVERY_LOG_PATH, endpoint);
  if (!LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  url.searchParams.set('event', eventId);
  if (bus !== undefined) url.searchParams.set('bus', bus);
  try {
    const res = await fetch(url);
    if (res.status !== 200) return undefined;
    return (await res.json()) as TraceReport;
  } catch {
    return undefined;
  }
}
